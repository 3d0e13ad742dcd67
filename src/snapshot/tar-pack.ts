import fs, { type Stats } from "node:fs";
import { Readable } from "node:stream";
import { Header, Pax } from "tar";
import { log } from "../lib/log.js";
import { closeFd, fdPath, getxattrFd, isNotFound, openAt, readdirFd, readlinkFd } from "../lib/scoped-fs/at.js";
import { fsat } from "../lib/scoped-fs/native.js";
import type { ScopedRoot } from "../lib/scoped-fs/scoped-root.js";

export interface PackItem {
  /** A name inside the packed directory, or "." for the directory itself. */
  name: string;
  /** Its name in the archive (Docker's rebase of the top entry); the name itself by default. */
  as?: string;
}

export interface PackOptions {
  /**
   * An overlay upper dir becomes an OCI layer: a 0/0 character device is
   * a deletion (`.wh.<name>`), an opaque directory gets `.wh..wh..opq`.
   */
  layer?: boolean;
  /** Close the root once the archive is read to the end (or abandoned). */
  closeRoot?: boolean;
}

/** Deeper than this (or names longer than PATH_MAX) is left out, as Docker's walk gives up on such paths. */
const MAX_DEPTH = 1024;
const MAX_NAME = 4096;
const READ_CHUNK = 256 * 1024;

/**
 * A tar of items in directory `dir` of a ScopedRoot. Nothing is followed:
 * every entry is opened by its name relative to its parent's descriptor
 * with O_NOFOLLOW, symlinks are archived as links, and a regular file's
 * bytes are read through the very descriptor that was checked, so a
 * container swapping a directory for a symlink (or a file for a device)
 * while we read changes nothing but what it owns. Entries are sorted
 * (parents first) so the same tree gives the same bytes; hard links inside
 * the tree become tar hard links.
 */
export function packTar(root: ScopedRoot, dir: string, items: PackItem[], opts: PackOptions = {}): Readable {
  return Readable.from(generate(root, dir, items, opts), { objectMode: false });
}

async function* generate(root: ScopedRoot, dir: string, items: PackItem[], opts: PackOptions): AsyncGenerator<Buffer> {
  const a = fsat();
  let dirFd: number | undefined;
  const seen = new Map<string, string>();
  try {
    dirFd = root.open(dir, { flags: a.O_PATH | a.O_DIRECTORY });
    for (const it of items) yield* visit(dirFd, it.name, it.as ?? it.name, 0, opts, seen);
    yield Buffer.alloc(1024);
  } finally {
    closeFd(dirFd);
    if (opts.closeRoot) root.close();
  }
}

async function* visit(parentFd: number, name: string, arcName: string, depth: number, opts: PackOptions, seen: Map<string, string>): AsyncGenerator<Buffer> {
  const a = fsat();
  let fd: number;
  try {
    fd = name === "." ? fs.openSync(fdPath(parentFd), a.O_PATH | a.O_DIRECTORY) : openAt(parentFd, name, a.O_PATH);
  } catch (err) {
    if (isNotFound(err)) return; // gone meanwhile: a running container's files come and go
    throw err;
  }
  try {
    const st = fs.fstatSync(fd);
    if (opts.layer && st.isCharacterDevice() && st.rdev === 0) {
      const slash = arcName.lastIndexOf("/");
      yield* entry(`${arcName.slice(0, slash + 1)}.wh.${arcName.slice(slash + 1)}`, { type: "File", st, size: 0 });
      return;
    }
    if (st.isDirectory()) {
      yield* entry(arcName + "/", { type: "Directory", st, size: 0 });
      if (opts.layer && getxattrFd(fd, "trusted.overlay.opaque")?.toString() === "y") yield* entry(`${arcName}/.wh..wh..opq`, { type: "File", st, size: 0 });
      if (depth >= MAX_DEPTH || arcName.length >= MAX_NAME) {
        log.warn("archive: directory too deep, its contents are left out", { path: arcName });
        return;
      }
      for (const child of readdirFd(fd).sort()) yield* visit(fd, child, `${arcName}/${child}`, depth + 1, opts, seen);
      return;
    }
    if (st.isSymbolicLink()) {
      yield* entry(arcName, { type: "SymbolicLink", st, size: 0, linkpath: readlinkFd(fd) });
      return;
    }
    if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? seen.get(key) : undefined;
      if (first !== undefined) {
        yield* entry(arcName, { type: "Link", st, size: 0, linkpath: first });
        return;
      }
      if (st.nlink > 1) seen.set(key, arcName);
      yield* entry(arcName, { type: "File", st, size: st.size });
      yield* content(fd, st.size);
      if (st.size % 512) yield Buffer.alloc(512 - (st.size % 512));
      return;
    }
    const type = st.isFIFO() ? "FIFO" : st.isCharacterDevice() ? "CharacterDevice" : st.isBlockDevice() ? "BlockDevice" : undefined;
    if (type) yield* entry(arcName, { type, st, size: 0, devmajor: major(st.rdev), devminor: minor(st.rdev) });
    // sockets cannot be archived
  } finally {
    closeFd(fd);
  }
}

/** Exactly `size` bytes of the file an O_PATH descriptor holds (zeros if it shrank, cut if it grew). */
async function* content(pathFd: number, size: number): AsyncGenerator<Buffer> {
  const fd = fs.openSync(fdPath(pathFd), fs.constants.O_RDONLY);
  try {
    let sent = 0;
    while (sent < size) {
      const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - sent));
      const n = await new Promise<number>((resolve, reject) => fs.read(fd, buf, 0, buf.length, sent, (err, got) => (err ? reject(err) : resolve(got))));
      if (n === 0) break;
      sent += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
    while (sent < size) {
      const pad = Math.min(READ_CHUNK, size - sent);
      sent += pad;
      yield Buffer.alloc(pad);
    }
  } finally {
    closeFd(fd);
  }
}

/** Linux's dev_t encoding (glibc's major()/minor()). */
function major(dev: number): number {
  return Number((BigInt(dev) >> 8n) & 0xfffn) | Number((BigInt(dev) >> 32n) & ~0xfffn);
}
function minor(dev: number): number {
  return Number(BigInt(dev) & 0xffn) | Number((BigInt(dev) >> 12n) & ~0xffn);
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
