import fs from "node:fs";
import path from "node:path";
import type { ReadEntry } from "tar";
import { InvalidArgumentError } from "../lib/errors.js";
import { chmodAt, chownAt, closeFd, errCode, fdPath, linkAt, lstatAt, mkdirAt, mknodAt, openAt, removeAt, setxattrFd, symlinkAt, utimesAt } from "../lib/scoped-fs/at.js";
import type { ScopedRoot } from "../lib/scoped-fs/scoped-root.js";

export interface UnpackOptions {
  /** The directory (a path inside the root) entry names are relative to; "/" by default. */
  base?: string;
  /**
   * An image layer: OCI whiteouts (`.wh.name`, `.wh..wh..opq`) become
   * overlayfs ones (a 0/0 character device, the trusted.overlay.opaque xattr).
   */
  layer?: boolean;
  /** Refuse to replace a directory with a non-directory or the reverse (the archive API's noOverwriteDirNonDir). */
  noOverwriteDirNonDir?: boolean;
  /** Owner of every entry (the builder's --chown); otherwise the archive's, when running as root. */
  owner?: { uid: number; gid: number };
  /** Mode of every entry but symlinks (the builder's --chmod). */
  chmod?: number;
}

const WHITEOUT_PREFIX = ".wh.";
const OPAQUE_MARKER = ".wh..wh..opq";
/** Directory times are set at the end; past this many directories the rest keep the extraction time (bounded memory). */
const MAX_DIR_TIMES = 100_000;

/**
 * An archive member's name as a clean path relative to the extraction
 * directory ("" for the directory itself). Like Docker: a leading "/" is
 * dropped, `..` inside an absolute name stops at its root, and a name that
 * climbs out of the extraction directory refuses the whole archive.
 */
export function entryRelPath(name: string): string {
  let p = path.posix.normalize(name);
  p = p.replace(/^\/+/, "").replace(/\/+$/, "");
  if (p === "." || p === "") return "";
  if (p === ".." || p.startsWith("../")) throw new InvalidArgumentError(`invalid archive: entry ${JSON.stringify(name)} points outside the destination directory`);
  return p;
}

/**
 * Applies tar entries, strictly in archive order, inside a ScopedRoot. Every
 * parent directory is resolved (and created) in the root by the kernel;
 * each entry is then created by its last name relative to that directory's
 * descriptor, so neither a symlink from the archive nor one a container
 * plants meanwhile can place a file outside the root.
 */
export class EntryWriter {
  /** Bytes of regular-file content written (hard links counted once). */
  size = 0;
  entries = 0;
  private readonly base: string;
  private dirTimes: { path: string; atime: Date; mtime: Date }[] = [];
  private readonly isRoot = process.getuid?.() === 0;

  constructor(private readonly root: ScopedRoot, private readonly o: UnpackOptions = {}) {
    this.base = path.posix.normalize("/" + (o.base ?? "/"));
  }

  async apply(entry: ReadEntry): Promise<void> {
    this.entries++;
    const rel = entryRelPath(entry.path);
    if (rel === "") return; // the destination itself: its metadata is not the archive's to change
    const full = path.posix.join(this.base, rel);
    const base = path.posix.basename(rel);
    try {
      if (this.o.layer && base === OPAQUE_MARKER) return this.opaque(path.posix.dirname(full));
      if (this.o.layer && base.startsWith(WHITEOUT_PREFIX)) {
        if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) return; // other aufs metadata (.wh..wh.plnk etc.)
        return this.whiteout(path.posix.join(path.posix.dirname(full), base.slice(WHITEOUT_PREFIX.length)), entry);
      }
      const { dir, name } = this.root.parentOf(full, { create: true });
      try {
        await this.write(entry, rel, dir, name);
      } finally {
        closeFd(dir);
      }
    } catch (err) {
      throw describe(err, entry.path);
    }
  }

  /** Directory mtimes last: creating children changes them. */
  finish(): void {
    for (const d of this.dirTimes.reverse()) {
      const fd = this.root.tryOpen(d.path, { follow: false });
      if (fd === undefined) continue;
      try {
        if (fs.fstatSync(fd).isDirectory()) fs.utimesSync(fdPath(fd), d.atime, d.mtime);
      } catch {
        /* best effort, as Docker */
      } finally {
        closeFd(fd);
      }
    }
    this.dirTimes = [];
  }

  private async write(entry: ReadEntry, rel: string, dir: number, name: string): Promise<void> {
    const isDir = entry.type === "Directory" || entry.type === "GNUDumpDir";
    const existing = lstatAt(dir, name);
    if (existing) {
      if (this.o.noOverwriteDirNonDir && existing.isDirectory() !== isDir) {
        const where = path.posix.join(this.base, rel);
        throw new InvalidArgumentError(existing.isDirectory()
          ? `cannot overwrite directory "${where}" with non-directory "${rel}"`
          : `cannot overwrite non-directory "${where}" with directory "${rel}"`);
      }
      if (!(existing.isDirectory() && isDir)) removeAt(dir, name);
    }
    const mode = this.o.chmod ?? (entry.mode ?? 0o644) & 0o7777;
    const mtime = entry.mtime ?? new Date();
    const atime = entry.atime && entry.atime > mtime ? entry.atime : mtime;
    switch (entry.type) {
      case "Directory":
      case "GNUDumpDir":
        if (!existing?.isDirectory()) mkdirAt(dir, name, 0o700);
        this.own(dir, name, entry);
        chmodAt(dir, name, mode);
        if (this.dirTimes.length < MAX_DIR_TIMES) this.dirTimes.push({ path: path.posix.join(this.base, rel), atime, mtime });
        return;
      case "File":
      case "OldFile":
      case "ContiguousFile":
        return this.file(entry, dir, name, mode, atime, mtime);
      case "Link":
        return this.hardlink(entry, dir, name);
      case "SymbolicLink": {
        const target = String(entry.linkpath ?? "");
        // Docker refuses a relative link that climbs out of the destination (an absolute one stays inside the root).
        if (!target.startsWith("/")) {
          const lands = path.posix.normalize(path.posix.join(path.posix.dirname(rel), target));
          if (lands === ".." || lands.startsWith("../")) throw new InvalidArgumentError(`invalid archive: symlink ${JSON.stringify(entry.path)} -> ${JSON.stringify(target)} points outside the destination directory`);
        }
        symlinkAt(target, dir, name);
        this.own(dir, name, entry);
        utimesAt(dir, name, atime, mtime);
        return;
      }
      case "CharacterDevice":
      case "BlockDevice":
      case "FIFO": {
        const kind = entry.type === "FIFO" ? "p" : entry.type === "CharacterDevice" ? "c" : "b";
        mknodAt(dir, name, kind, 0o600, entry.header.devmaj ?? 0, entry.header.devmin ?? 0);
        this.own(dir, name, entry);
        chmodAt(dir, name, mode); // after chown, which clears setuid/setgid
        utimesAt(dir, name, atime, mtime);
        return;
      }
      default:
        return; // sparse files, ACLs, volume labels: not produced by image or docker cp tooling
    }
  }

  private async file(entry: ReadEntry, dir: number, name: string, mode: number, atime: Date, mtime: Date): Promise<void> {
    const fd = openAt(dir, name, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    try {
      // ReadEntry is a Minipass stream; node's pipeline() does not see its end reliably, so copy by hand.
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        let off = 0;
        while (off < chunk.length) off += await writeFd(fd, chunk, off);
        this.size += chunk.length;
      }
      const owner = this.ownerOf(entry);
      if (owner) fs.fchownSync(fd, owner.uid, owner.gid);
      fs.fchmodSync(fd, mode); // after chown, which clears setuid/setgid bits
      fs.futimesSync(fd, atime, mtime);
    } finally {
      closeFd(fd);
    }
  }

  private hardlink(entry: ReadEntry, dir: number, name: string): void {
    const linkRel = entryRelPath(String(entry.linkpath ?? ""));
    if (linkRel === "") throw new InvalidArgumentError(`invalid archive: hardlink ${JSON.stringify(entry.path)} has no target`);
    const src = this.root.tryOpen(path.posix.join(this.base, linkRel), { follow: false });
    if (src === undefined) throw new InvalidArgumentError(`invalid archive: hardlink ${JSON.stringify(entry.path)} -> ${JSON.stringify(entry.linkpath)}: the target is not in the archive`);
    try {
      if (fs.fstatSync(src).isDirectory()) throw new InvalidArgumentError(`invalid archive: hardlink ${JSON.stringify(entry.path)} -> ${JSON.stringify(entry.linkpath)}: the target is a directory`);
      linkAt(src, dir, name);
    } finally {
      closeFd(src);
    }
  }

  private opaque(dirPath: string): void {
    const fd = this.root.ensureDir(dirPath);
    try {
      setxattrFd(fd, "trusted.overlay.opaque", Buffer.from("y"));
    } finally {
      closeFd(fd);
    }
  }

  private whiteout(hidden: string, entry: ReadEntry): void {
    const { dir, name } = this.root.parentOf(hidden, { create: true });
    try {
      removeAt(dir, name);
      mknodAt(dir, name, "c", 0, 0, 0);
      this.own(dir, name, entry);
    } finally {
      closeFd(dir);
    }
  }

  private ownerOf(entry: ReadEntry): { uid: number; gid: number } | undefined {
    if (this.o.owner) return this.o.owner;
    if (!this.isRoot) return undefined; // an unprivileged extraction keeps the caller's ownership
    return { uid: entry.uid ?? 0, gid: entry.gid ?? 0 };
  }

  private own(dir: number, name: string, entry: ReadEntry): void {
    const owner = this.ownerOf(entry);
    if (owner) chownAt(dir, name, owner.uid, owner.gid);
  }
}

function writeFd(fd: number, buf: Buffer, off: number): Promise<number> {
  return new Promise((resolve, reject) => fs.write(fd, buf, off, buf.length - off, null, (err, n) => (err ? reject(err) : resolve(n))));
}

/** Errors the archive's content causes are the caller's (400); the disk's own failures stay as they are. */
function describe(err: unknown, entryName: string): unknown {
  if (err instanceof InvalidArgumentError) return err;
  const code = errCode(err);
  const input = ["ENAMETOOLONG", "ELOOP", "ENOTDIR", "EEXIST", "EXDEV", "EPERM", "EINVAL", "EISDIR", "EMLINK", "EBUSY"];
  if (code && input.includes(code)) {
    return new InvalidArgumentError(`cannot extract ${JSON.stringify(entryName)}: ${(err as Error).message}`, { cause: err });
  }
  return err;
}
