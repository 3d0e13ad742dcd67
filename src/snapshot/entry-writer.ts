import fs from "node:fs";
import path from "node:path";
import type { ReadEntry } from "tar";
import { ArchiveError, InvalidArgumentError } from "../lib/errors.js";
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

/** A member that cannot be applied: dockerd's "Error processing tar file: …" (a 500, as dockerd answers). */
export function archiveError(what: string, cause?: unknown): ArchiveError {
  return new ArchiveError(`Error processing tar file: ${what}`, { cause });
}

const isId = (n: unknown) => n === undefined || (typeof n === "number" && Number.isInteger(n) && n >= 0 && n < 0xffffffff);
const isBadDate = (d: unknown) => d !== undefined && !(d instanceof Date && Number.isFinite(d.getTime()));

/** Numbers a PAX record or a header can make absurd (negative ids, NaN modes, dates): Go's tar refuses such headers, so do we. */
function checkHeader(entry: ReadEntry): void {
  const h = entry.header;
  const ok = isId(entry.uid) && isId(entry.gid) && isId(entry.mode) && isId(h.devmaj) && isId(h.devmin) && !isBadDate(entry.mtime) && !isBadDate(entry.atime);
  if (!ok) throw archiveError(`archive/tar: invalid tar header (${JSON.stringify(entry.path)}: uid ${entry.uid}, gid ${entry.gid}, mode ${entry.mode}, mtime ${String(entry.mtime)})`);
}

/** `p` is `base` or below it (both clean absolute paths). */
function within(base: string, p: string): boolean {
  return base === "/" || p === base || p.startsWith(base + "/");
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

  /**
   * Where a member goes, as dockerd decides: its name joined to the
   * destination (so `..` stops at the root and a leading "/" means the
   * destination), and refused when that leaves the destination.
   */
  private place(name: string): string {
    if (name.includes("\0")) throw archiveError(`invalid name ${JSON.stringify(name)}`);
    const full = path.posix.join(this.base, name);
    if (!within(this.base, full)) throw archiveError(`${JSON.stringify(name)} is outside of ${JSON.stringify(this.base)}`);
    return full.length > 1 ? full.replace(/\/+$/, "") : full;
  }

  async apply(entry: ReadEntry): Promise<void> {
    this.entries++;
    checkHeader(entry);
    const full = this.place(entry.path);
    if (full === this.base) return; // the destination itself: its metadata is not the archive's to change
    const base = path.posix.basename(full);
    try {
      if (this.o.layer && base === OPAQUE_MARKER) return this.opaque(path.posix.dirname(full));
      if (this.o.layer && base.startsWith(WHITEOUT_PREFIX)) {
        if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) return; // other aufs metadata (.wh..wh.plnk etc.)
        return this.whiteout(path.posix.join(path.posix.dirname(full), base.slice(WHITEOUT_PREFIX.length)), entry);
      }
      const { dir, name } = this.root.parentOf(full, { create: true });
      try {
        await this.write(entry, full, dir, name);
      } finally {
        closeFd(dir);
      }
    } catch (err) {
      throw describe(err, full);
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

  private async write(entry: ReadEntry, full: string, dir: number, name: string): Promise<void> {
    const isDir = entry.type === "Directory" || entry.type === "GNUDumpDir";
    const existing = lstatAt(dir, name);
    if (existing) {
      if (this.o.noOverwriteDirNonDir && existing.isDirectory() !== isDir) {
        throw new InvalidArgumentError(existing.isDirectory()
          ? `cannot overwrite directory "${full}" with non-directory "${entry.path}"`
          : `cannot overwrite non-directory "${full}" with directory "${entry.path}"`);
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
        if (this.dirTimes.length < MAX_DIR_TIMES) this.dirTimes.push({ path: full, atime, mtime });
        return;
      case "File":
      case "OldFile":
      case "ContiguousFile":
        return this.file(entry, dir, name, mode, atime, mtime);
      case "Link":
        return this.hardlink(entry, full, dir, name);
      case "SymbolicLink": {
        const target = String(entry.linkpath ?? "");
        // dockerd refuses a relative link that climbs out of the destination; an absolute one means the root's own path.
        if (!target.startsWith("/") && !within(this.base, path.posix.join(path.posix.dirname(full), target))) {
          throw archiveError(`invalid symlink ${JSON.stringify(full)} -> ${JSON.stringify(target)}`);
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

  /** dockerd: the target is the link name joined to the destination, and must stay in it. */
  private hardlink(entry: ReadEntry, full: string, dir: number, name: string): void {
    const link = String(entry.linkpath ?? "");
    const target = path.posix.join(this.base, link);
    if (link === "" || !within(this.base, target)) throw archiveError(`invalid hardlink ${JSON.stringify(full)} -> ${JSON.stringify(link)}`);
    const src = this.root.tryOpen(target, { follow: false });
    if (src === undefined) throw archiveError(`link ${target} ${full}: no such file or directory`);
    try {
      if (fs.fstatSync(src).isDirectory()) throw archiveError(`link ${target} ${full}: operation not permitted (a directory)`);
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

/** Errors the archive's content causes are dockerd's "Error processing tar file"; the disk's own failures (ENOSPC, EROFS, …) stay as they are. */
function describe(err: unknown, where: string): unknown {
  if (err instanceof ArchiveError || err instanceof InvalidArgumentError) return err;
  const code = errCode(err);
  const input = ["ENOENT", "ENAMETOOLONG", "ELOOP", "ENOTDIR", "EEXIST", "EXDEV", "EPERM", "EINVAL", "EISDIR", "EMLINK", "EBUSY", "ENOTEMPTY"];
  if (code && input.includes(code)) return archiveError(`${where}: ${reason(err)}`, err);
  return err;
}

/** "no such file or directory", from Node's "ENOENT: no such file or directory, open …" or our own messages. */
function reason(err: unknown): string {
  const m = /^[A-Z]+: ([^,]+)/.exec((err as Error).message);
  return (m ? m[1]! : (err as Error).message).toLowerCase();
}
