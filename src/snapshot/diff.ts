import { promises as fs } from "node:fs";
import type { Readable } from "node:stream";
import { readdirFd } from "../lib/scoped-fs/at.js";
import { ScopedRoot } from "../lib/scoped-fs/scoped-root.js";
import { packTar } from "./tar-pack.js";

/**
 * An OCI layer tar of an overlay upper dir: what a container changed. Overlay
 * keeps deletions as whiteouts, which the OCI format spells differently:
 *   - a char device 0/0 `name`               → empty file `.wh.name`
 *   - a dir with xattr trusted.overlay.opaque=y → the dir, then `dir/.wh..wh..opq`
 * Entries are sorted (parents first) so the tar, and so its diffID, is stable.
 * The upper dir of a running container changes under us: it is read through
 * descriptors only (tar-pack.ts), never by following a path it could redirect.
 */
export function layerTar(upperDir: string): Readable {
  const root = ScopedRoot.open(upperDir);
  let names: string[];
  try {
    names = readdirFd(root.fd).sort();
  } catch (err) {
    root.close();
    throw err;
  }
  return packTar(root, "/", names.map((name) => ({ name })), { layer: true, closeRoot: true });
}

/** Whether the upper dir recorded no change at all (a commit then adds no layer). */
export async function isEmptyDiff(upperDir: string): Promise<boolean> {
  return (await fs.readdir(upperDir)).length === 0;
}
