import type { Readable } from "node:stream";
import { ScopedRoot } from "../lib/scoped-fs/scoped-root.js";
import type { Digest } from "../content/digest.js";
import { unpackTar } from "./tar-unpack.js";

export interface ExtractResult {
  /** sha256 of the uncompressed tar stream (the OCI diffID). */
  diffId: Digest;
  /** Bytes of regular-file content written (hardlinks counted once). */
  size: number;
}

/**
 * Apply a layer tar (plain, gzip, bzip2, xz or zstd) to `dest`, converting OCI
 * whiteouts into overlayfs form: `.wh.<name>` becomes a 0/0 character
 * device `<name>`, `.wh..wh..opq` marks its directory opaque. Ownership,
 * modes, mtimes, symlinks, hardlinks, devices and FIFOs are preserved.
 * Paths resolve inside `dest` as if it were "/" (see tar-unpack.ts), so a
 * hostile layer writes nothing outside it; absolute symlink targets are kept
 * as the image author wrote them.
 */
export async function extractLayer(input: Readable, dest: string): Promise<ExtractResult> {
  const root = ScopedRoot.open(dest);
  try {
    const { diffId, size } = await unpackTar(input, root, { layer: true });
    return { diffId, size };
  } finally {
    root.close();
  }
}
