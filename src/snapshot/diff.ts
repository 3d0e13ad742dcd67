import { execFile } from "node:child_process";
import { createReadStream, promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { Header, Pax } from "tar";

const run = promisify(execFile);

/**
 * An OCI layer tar of an overlay upper dir: what a container changed. Overlay
 * keeps deletions as whiteouts, which the OCI format spells differently:
 *   - a char device 0/0 `name`               → empty file `.wh.name`
 *   - a dir with xattr trusted.overlay.opaque=y → the dir, then `dir/.wh..wh..opq`
 * Entries are sorted (parents first) so the tar, and so its diffID, is stable.
 * Hard links inside the upper dir become tar hard links. Node cannot read
 * xattrs, so opaque dirs are found with one `getfattr -R` (package attr).
 */
export function layerTar(upperDir: string): Readable {
  return Readable.from(generate(upperDir), { objectMode: false });
}

async function* generate(root: string): AsyncGenerator<Buffer> {
  const opaque = await opaqueDirs(root);
  const seenInodes = new Map<string, string>();
  for await (const rel of walk(root, "")) {
    const abs = path.join(root, rel);
    const st = await fs.lstat(abs);
    if (st.isCharacterDevice() && st.rdev === 0) {
      yield* entry(path.posix.join(path.posix.dirname(rel), `.wh.${path.posix.basename(rel)}`), { type: "File", st, size: 0 });
      continue;
    }
    if (st.isDirectory()) {
      yield* entry(rel + "/", { type: "Directory", st, size: 0 });
      if (opaque.has(rel)) yield* entry(`${rel}/.wh..wh..opq`, { type: "File", st, size: 0 });
      continue;
    }
    if (st.isSymbolicLink()) {
      yield* entry(rel, { type: "SymbolicLink", st, size: 0, linkpath: await fs.readlink(abs) });
      continue;
    }
    if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? seenInodes.get(key) : undefined;
      if (first) {
        yield* entry(rel, { type: "Link", st, size: 0, linkpath: first });
        continue;
      }
      if (st.nlink > 1) seenInodes.set(key, rel);
      yield* entry(rel, { type: "File", st, size: st.size });
      let sent = 0;
      for await (const chunk of createReadStream(abs)) {
        const b = chunk as Buffer;
        // A file that grew while we read it must not corrupt the archive.
        const take = b.subarray(0, Math.max(0, st.size - sent));
        sent += take.length;
        if (take.length) yield take;
      }
      if (sent < st.size) yield Buffer.alloc(st.size - sent);
      if (st.size % 512) yield Buffer.alloc(512 - (st.size % 512));
      continue;
    }
    const type = st.isFIFO() ? "FIFO" : st.isCharacterDevice() ? "CharacterDevice" : st.isBlockDevice() ? "BlockDevice" : undefined;
    if (type) yield* entry(rel, { type, st, size: 0, devmajor: Math.floor(st.rdev / 256), devminor: st.rdev % 256 });
  }
  yield Buffer.alloc(1024);
}

/** Relative paths under root, depth first, sorted per directory (parents before children). */
async function* walk(root: string, rel: string): AsyncGenerator<string> {
  const names = (await fs.readdir(path.join(root, rel))).sort();
  for (const n of names) {
    const child = rel ? `${rel}/${n}` : n;
    yield child;
    const st = await fs.lstat(path.join(root, child));
    if (st.isDirectory()) yield* walk(root, child);
  }
}

interface EntryOpts {
  type: string;
  st: Stats;
  size: number;
  linkpath?: string;
  devmajor?: number;
  devminor?: number;
}

function* entry(name: string, o: EntryOpts): Generator<Buffer> {
  const fields = {
    path: name,
    mode: o.st.mode & 0o7777,
    uid: o.st.uid,
    gid: o.st.gid,
    size: o.size,
    mtime: new Date(Math.floor(o.st.mtimeMs / 1000) * 1000),
    type: o.type,
    linkpath: o.linkpath,
    devmaj: o.devmajor,
    devmin: o.devminor,
  } as ConstructorParameters<typeof Header>[0];
  const h = new Header(fields);
  if (h.encode()) yield new Pax({ path: name, linkpath: o.linkpath } as ConstructorParameters<typeof Pax>[0]).encode();
  yield h.block as Buffer;
}

/** Dirs (relative) marked opaque in the upper dir. */
async function opaqueDirs(root: string): Promise<Set<string>> {
  const out = new Set<string>();
  let text = "";
  try {
    ({ stdout: text } = await run("getfattr", ["-R", "-P", "--absolute-names", "-m", "^trusted\\.overlay\\.opaque$", "-d", root], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (err) {
    text = (err as { stdout?: string }).stdout ?? "";
  }
  let file: string | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("# file: ")) file = line.slice(8);
    else if (file && /^trusted\.overlay\.opaque="y"/.test(line)) out.add(path.relative(root, file));
  }
  return out;
}

/** Whether the upper dir recorded no change at all (a commit then adds no layer). */
export async function isEmptyDiff(upperDir: string): Promise<boolean> {
  return (await fs.readdir(upperDir)).length === 0;
}
