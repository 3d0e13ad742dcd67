import fs from "node:fs";
import { InvalidArgumentError } from "../errors.js";
import { chownAt, closeFd, errCode, fdPath, isNotFound, lstatAt, mkdirAt, openAt, readlinkFd } from "./at.js";
import { fsat } from "./native.js";

const MAX_LINKS = 255;

/**
 * A directory tree whose contents are not ours to trust (a container's
 * filesystem, an image layer, a build context), held open as a descriptor.
 * Every path given to it is resolved by the kernel with the tree's top as
 * "/" (openat2 RESOLVE_IN_ROOT): absolute symlinks restart at the top, ".."
 * stops there, and the walk is atomic, so a symlink swapped in while we work
 * cannot lead outside. Changes are then made by single names relative to
 * directory descriptors (see at.ts). Paths are container paths ("/etc/x";
 * relative ones start at the top too).
 *
 * Errors are Node-style (`code` ENOENT, ENOTDIR, ELOOP, …). Call close()
 * when done; descriptors returned by methods belong to the caller.
 */
export class ScopedRoot {
  private closed = false;

  private constructor(readonly fd: number, readonly label: string) {}

  /** Open a trusted host directory as the root. */
  static open(hostDir: string): ScopedRoot {
    const a = fsat();
    return new ScopedRoot(fs.openSync(hostDir, a.O_PATH | a.O_DIRECTORY), hostDir);
  }

  /** Take ownership of a directory descriptor (e.g. a view's root). */
  static adopt(fd: number, label: string): ScopedRoot {
    return new ScopedRoot(fd, label);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeFd(this.fd);
  }

  /** A descriptor for `p` (O_PATH unless `flags` say otherwise); the last name is followed unless follow is false. */
  open(p: string, o: { follow?: boolean; flags?: number; mode?: number } = {}): number {
    const a = fsat();
    const flags = (o.flags ?? a.O_PATH) | (o.follow === false ? a.O_NOFOLLOW : 0);
    return a.openat2(this.fd, p === "" ? "." : p, flags, o.mode ?? 0, a.RESOLVE_IN_ROOT | a.RESOLVE_NO_MAGICLINKS);
  }

  /** Like open(), but undefined when the path does not exist. */
  tryOpen(p: string, o: { follow?: boolean; flags?: number } = {}): number | undefined {
    try {
      return this.open(p, o);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** stat (follow) or lstat (follow: false) of `p`; undefined when it does not exist. */
  stat(p: string, follow = true): fs.Stats | undefined {
    const fd = this.tryOpen(p, { follow });
    if (fd === undefined) return undefined;
    try {
      return fs.fstatSync(fd);
    } finally {
      closeFd(fd);
    }
  }

  /**
   * Where `p` leads, as a path inside the root: every symlink resolved the
   * way the kernel would with the root as "/", names that do not exist kept
   * as they are (Docker's FollowSymlinkInScope). For messages and for
   * choosing names; the kernel re-resolves when the path is used.
   */
  realPath(p: string): string {
    const out: string[] = [];
    let queue = p.split("/");
    let links = 0;
    while (queue.length > 0) {
      const c = queue.shift()!;
      if (c === "" || c === ".") continue;
      if (c === "..") {
        out.pop();
        continue;
      }
      const candidate = "/" + [...out, c].join("/");
      const fd = this.tryOpen(candidate, { follow: false });
      if (fd !== undefined) {
        try {
          if (fs.fstatSync(fd).isSymbolicLink()) {
            if (++links > MAX_LINKS) throw Object.assign(new Error(`too many levels of symbolic links in ${p}`), { code: "ELOOP" });
            const target = readlinkFd(fd);
            if (target.startsWith("/")) out.length = 0;
            queue = [...target.split("/"), ...queue];
            continue;
          }
        } finally {
          closeFd(fd);
        }
      }
      out.push(c);
    }
    return "/" + out.join("/");
  }

  /**
   * `mkdir -p` of where `p` leads: symlinks on the way are followed inside
   * the root, and a link to a missing directory gets that directory created
   * (what the builder and the runtime do for WORKDIR, COPY destinations and
   * mount points). Returns an O_PATH descriptor of the directory. Created
   * directories get `mode` (and `owner`); a non-directory in the way fails
   * with ENOTDIR.
   */
  mkdirAll(p: string, o: { mode?: number; owner?: { uid: number; gid: number } } = {}): number {
    const a = fsat();
    for (let attempt = 0; attempt < 16; attempt++) {
      const parts = this.realPath(p).split("/").filter(Boolean);
      let cur = this.open("/");
      let raced = false;
      try {
        for (const part of parts) {
          let next: number | undefined;
          try {
            next = openAt(cur, part, a.O_PATH | a.O_DIRECTORY);
          } catch (err) {
            if (errCode(err) !== "ENOENT" && errCode(err) !== "ENOTDIR" && errCode(err) !== "ELOOP") throw err;
          }
          if (next === undefined) {
            const st = lstatAt(cur, part);
            if (st?.isSymbolicLink()) {
              raced = true; // a link appeared after realPath looked: resolve again
              break;
            }
            if (st && !st.isDirectory()) throw Object.assign(new Error(`mkdir ${p}: not a directory`), { code: "ENOTDIR" });
            try {
              mkdirAt(cur, part, o.mode ?? 0o755);
              if (o.owner) chownAt(cur, part, o.owner.uid, o.owner.gid);
            } catch (err) {
              if (errCode(err) !== "EEXIST") throw err;
            }
            try {
              next = openAt(cur, part, a.O_PATH | a.O_DIRECTORY);
            } catch (err) {
              if (errCode(err) !== "ELOOP" && errCode(err) !== "ENOTDIR") throw err;
              raced = true;
              break;
            }
          }
          closeFd(cur);
          cur = next;
        }
      } catch (err) {
        closeFd(cur);
        throw err;
      }
      if (!raced) return cur;
      closeFd(cur);
    }
    throw Object.assign(new Error(`mkdir ${p}: the path keeps changing`), { code: "ELOOP" });
  }

  /**
   * The directory `p` (whose names contain no ".."), created with its
   * missing parents the way Go's os.MkdirAll does inside a chroot, which is
   * what Docker's archive extraction does: existing symlinks on the way are
   * followed inside the root, but a dangling link or a non-directory in the
   * way is an error (EEXIST, ENOTDIR), never replaced or created through.
   * Returns an O_PATH descriptor.
   */
  ensureDir(p: string, o: { mode?: number; owner?: { uid: number; gid: number } } = {}): number {
    const a = fsat();
    const dirFlags = a.O_PATH | a.O_DIRECTORY;
    const found = this.tryOpen(p, { flags: dirFlags });
    if (found !== undefined) return found;
    const parts = p.split("/").filter((x) => x !== "" && x !== ".");
    if (parts.includes("..")) throw new InvalidArgumentError(`invalid path ${JSON.stringify(p)}`);
    let i = parts.length - 1;
    let cur: number | undefined;
    for (; i > 0; i--) {
      cur = this.tryOpen("/" + parts.slice(0, i).join("/"), { flags: dirFlags });
      if (cur !== undefined) break;
    }
    cur ??= this.open("/", { flags: dirFlags });
    try {
      for (; i < parts.length; i++) {
        const name = parts[i]!;
        try {
          mkdirAt(cur, name, o.mode ?? 0o755);
          if (o.owner) chownAt(cur, name, o.owner.uid, o.owner.gid);
        } catch (err) {
          if (errCode(err) !== "EEXIST") throw err;
          if (!lstatAt(cur, name)?.isDirectory()) {
            throw Object.assign(new Error(`mkdir /${parts.slice(0, i + 1).join("/")}: file exists and is not a directory`), { code: "ENOTDIR" });
          }
        }
        const next = openAt(cur, name, dirFlags);
        closeFd(cur);
        cur = next;
      }
      return cur;
    } catch (err) {
      closeFd(cur);
      throw err;
    }
  }

  /**
   * The directory holding `p` (created with ensureDir when `create`) and
   * `p`'s last name, for changes that must not follow a symlink in that
   * name. `p` must name something below the root.
   */
  parentOf(p: string, o: { create?: boolean; mode?: number; owner?: { uid: number; gid: number } } = {}): { dir: number; name: string } {
    const parts = p.split("/").filter((x) => x !== "" && x !== ".");
    const name = parts.pop();
    if (name === undefined || name === "..") throw new InvalidArgumentError(`invalid path ${JSON.stringify(p)}: it must name a file below the root`);
    const parent = "/" + parts.join("/");
    const dir = o.create ? this.ensureDir(parent, o) : this.open(parent, { flags: fsat().O_PATH | fsat().O_DIRECTORY });
    return { dir, name };
  }

  /**
   * A readable descriptor of the regular file at `p` (symlinks followed in
   * the root), or undefined when there is none. The file is opened through
   * the O_PATH descriptor that was checked, so a FIFO or device swapped in
   * meanwhile is never opened.
   */
  openRegular(p: string, follow = true): number | undefined {
    const fd = this.tryOpen(p, { follow });
    if (fd === undefined) return undefined;
    try {
      if (!fs.fstatSync(fd).isFile()) return undefined;
      return fs.openSync(fdPath(fd), fs.constants.O_RDONLY);
    } finally {
      closeFd(fd);
    }
  }

  /** The content of a regular file (at most `maxBytes`), or undefined when `p` is not one. */
  readFile(p: string, maxBytes = 16 << 20): Buffer | undefined {
    const fd = this.openRegular(p);
    if (fd === undefined) return undefined;
    try {
      const size = Math.min(fs.fstatSync(fd).size, maxBytes);
      const buf = Buffer.alloc(size);
      let off = 0;
      while (off < size) {
        const n = fs.readSync(fd, buf, off, size - off, off);
        if (n === 0) break;
        off += n;
      }
      return buf.subarray(0, off);
    } finally {
      closeFd(fd);
    }
  }
}
