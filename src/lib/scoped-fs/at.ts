/**
 * Changes made to one name inside a directory held open as a file
 * descriptor: the *at(2) family, which Node lacks, done through
 * `/proc/self/fd/<dir>/<name>`. The kernel jumps to the directory the fd
 * holds (not a path that could have been swapped) and looks up a single
 * name, so none of these can be steered outside that directory. Calls that
 * would follow a symlink in the last name (chmod, open) go through an
 * O_PATH|O_NOFOLLOW descriptor instead.
 */
import fs from "node:fs";
import { InvalidArgumentError } from "../errors.js";
import { fsat } from "./native.js";

/** `/proc/self/fd/N` (the object N holds) or `/proc/self/fd/N/name` (one name inside directory N). */
export function fdPath(fd: number, name?: string): string {
  if (name === undefined) return `/proc/self/fd/${fd}`;
  assertName(name);
  return `/proc/self/fd/${fd}/${name}`;
}

/** One path component: not empty, not `.` or `..`, no `/` and no NUL. */
export function assertName(name: string): void {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
    throw new InvalidArgumentError(`invalid file name ${JSON.stringify(name)}`);
  }
}

export function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** ENOENT or ENOTDIR: the path (or a directory on it) does not exist. */
export function isNotFound(err: unknown): boolean {
  const c = errCode(err);
  return c === "ENOENT" || c === "ENOTDIR";
}

export function closeFd(fd: number | undefined): void {
  if (fd === undefined) return;
  try {
    fs.closeSync(fd);
  } catch {
    /* already closed */
  }
}

/** Open one name in `dir` without following a symlink there (an O_PATH fd of a symlink is the link itself). */
export function openAt(dir: number, name: string, flags: number, mode = 0, opts: { noXdev?: boolean } = {}): number {
  assertName(name);
  const a = fsat();
  const resolve = a.RESOLVE_BENEATH | a.RESOLVE_NO_MAGICLINKS | (opts.noXdev ? a.RESOLVE_NO_XDEV : 0);
  return a.openat2(dir, name, flags | a.O_NOFOLLOW, mode, resolve);
}

export function lstatAt(dir: number, name: string): fs.Stats | undefined {
  return fs.lstatSync(fdPath(dir, name), { throwIfNoEntry: false });
}

export function mkdirAt(dir: number, name: string, mode = 0o755): void {
  fs.mkdirSync(fdPath(dir, name), { mode });
}

export function symlinkAt(target: string, dir: number, name: string): void {
  if (target.includes("\0")) throw new InvalidArgumentError(`invalid symlink target ${JSON.stringify(target)}`);
  fs.symlinkSync(target, fdPath(dir, name));
}

export function mknodAt(dir: number, name: string, kind: "c" | "b" | "p", mode: number, major: number, minor: number): void {
  assertName(name);
  const a = fsat();
  const type = kind === "c" ? a.S_IFCHR : kind === "b" ? a.S_IFBLK : a.S_IFIFO;
  a.mknodat(dir, name, type | (mode & 0o7777), major, minor);
}

/** A hard link `dir/name` to the object `srcFd` holds (linkat of /proc/self/fd/N with AT_SYMLINK_FOLLOW). */
export function linkAt(srcFd: number, dir: number, name: string): void {
  assertName(name);
  const a = fsat();
  a.linkat(a.AT_FDCWD, fdPath(srcFd), dir, name, a.AT_SYMLINK_FOLLOW);
}

export function chownAt(dir: number, name: string, uid: number, gid: number): void {
  assertName(name);
  const a = fsat();
  a.fchownat(dir, name, uid, gid, a.AT_SYMLINK_NOFOLLOW);
}

/** chmod of what `dir/name` is, never of what a symlink there points to (symlinks have no mode). */
export function chmodAt(dir: number, name: string, mode: number): void {
  const fd = openAt(dir, name, fsat().O_PATH);
  try {
    if (fs.fstatSync(fd).isSymbolicLink()) return;
    fs.chmodSync(fdPath(fd), mode);
  } finally {
    closeFd(fd);
  }
}

export function utimesAt(dir: number, name: string, atime: Date, mtime: Date): void {
  fs.lutimesSync(fdPath(dir, name), atime, mtime);
}

/** The target of the symlink an O_PATH|O_NOFOLLOW fd holds. */
export function readlinkFd(fd: number): string {
  return fsat().readlinkat(fd, "");
}

/** Names in the directory `fd` holds (any fd of a directory, O_PATH included). */
export function readdirFd(fd: number): string[] {
  return fs.readdirSync(fdPath(fd));
}

export function getxattrFd(fd: number, name: string): Buffer | null {
  return fsat().getxattr(fdPath(fd), name);
}

export function setxattrFd(fd: number, name: string, value: Buffer): void {
  fsat().setxattr(fdPath(fd), name, value, 0);
}

/**
 * Remove `dir/name` and, for a directory, everything below it, one name at a
 * time through descriptors: a directory swapped for a symlink meanwhile is
 * unlinked, not followed. A mount point below is never entered (EBUSY).
 */
export function removeAt(dir: number, name: string, attempts = 8): void {
  const st = lstatAt(dir, name);
  if (!st) return;
  if (!st.isDirectory()) {
    fs.unlinkSync(fdPath(dir, name));
    return;
  }
  let fd: number;
  try {
    fd = openAt(dir, name, fsat().O_PATH | fsat().O_DIRECTORY, 0, { noXdev: true });
  } catch (err) {
    if (errCode(err) === "EXDEV") throw Object.assign(new Error(`cannot remove ${name}: a mount point is in the way`), { code: "EBUSY" });
    if ((errCode(err) === "ELOOP" || errCode(err) === "ENOTDIR") && attempts > 0) return removeAt(dir, name, attempts - 1); // swapped meanwhile
    if (isNotFound(err)) return;
    throw err;
  }
  try {
    for (const child of readdirFd(fd)) removeAt(fd, child);
  } finally {
    closeFd(fd);
  }
  fs.rmdirSync(fdPath(dir, name));
}
