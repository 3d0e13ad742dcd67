import fs from "node:fs";
import path from "node:path";
import { InvalidArgumentError } from "../../lib/errors.js";
import { closeFd, openAt, readdirFd, removeAt } from "../../lib/scoped-fs/at.js";
import type { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";
import { packTar, type PackItem } from "../../snapshot/tar-pack.js";
import { unpackTar } from "../../snapshot/tar-unpack.js";
import type { SourceFile } from "../../build/context/source-files.js";

export interface Owner {
  uid: number;
  gid: number;
}

/**
 * Put COPY/ADD sources into a build rootfs the way Docker does: a dir's
 * contents (not the dir) are copied; a file goes to `dest` or, when dest
 * ends in `/` or is a directory, to dest/<name>; copied files belong to
 * root (or --chown) and keep their mode (or get --chmod) and mtime; missing
 * parents of dest are created 0755 (owned by --chown). ADD extracts local
 * tar archives into dest. Both roots are untrusted: everything is resolved
 * inside them (lib/scoped-fs), and the copy is a tar stream from one to the
 * other, so a link in either leads nowhere outside.
 */
export async function copyInto(
  dst: ScopedRoot, src: ScopedRoot, sources: SourceFile[], dest: string,
  opts: { owner: Owner; chmod?: number; extractArchives: boolean; what: string },
): Promise<void> {
  const destIsDir = dest.endsWith("/") || sources.length > 1 || !!dst.stat(dest)?.isDirectory();
  if (sources.length > 1 && !dest.endsWith("/")) {
    throw new InvalidArgumentError(`When using ${opts.what} with more than one source file, the destination must be a directory and end with a /`);
  }
  const into = (dir: string) => {
    closeFd(dst.mkdirAll(dir, { owner: opts.owner }));
    return dst.realPath(dir);
  };
  for (const s of sources) {
    if (s.isDir) {
      const base = into(dest);
      const top = src.open(s.path);
      let names: string[];
      try {
        names = readdirFd(top).sort();
      } finally {
        closeFd(top);
      }
      await transfer(src, s.path, names.map((name) => ({ name })), dst, base, opts);
    } else if (opts.extractArchives && isArchive(src, s.path)) {
      const base = into(dest);
      const fd = src.openRegular(s.path);
      if (fd === undefined) continue;
      await unpackTar(fs.createReadStream("", { fd }), dst, { base });
    } else {
      const target = destIsDir ? path.posix.join(dest, s.name) : dest;
      const base = into(path.posix.dirname(rel(target)) || "/");
      await transfer(src, path.posix.dirname(s.path), [{ name: path.posix.basename(s.path), as: path.posix.basename(rel(target)) }], dst, base, opts);
    }
  }
}

/** Items of directory `dir` in `src`, written below `base` in `dst` with the copy's owner and mode. */
async function transfer(src: ScopedRoot, dir: string, items: PackItem[], dst: ScopedRoot, base: string, opts: { owner: Owner; chmod?: number }): Promise<void> {
  if (items.length === 0) return;
  await unpackTar(packTar(src, dir, items), dst, { base, owner: opts.owner, chmod: opts.chmod });
}

/** Write literal content (COPY <<EOF file, ADD of a URL) as a new file. */
export async function writeInto(dst: ScopedRoot, dest: string, name: string, data: Buffer, mode: number, owner: Owner): Promise<void> {
  const target = rel(dest.endsWith("/") || dst.stat(dest)?.isDirectory() ? path.posix.join(dest, name) : dest);
  const dir = dst.mkdirAll(path.posix.dirname(target) || "/", { owner });
  const base = path.posix.basename(target);
  try {
    removeAt(dir, base);
    const fd = openAt(dir, base, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    try {
      fs.writeFileSync(fd, data);
      fs.fchownSync(fd, owner.uid, owner.gid);
      fs.fchmodSync(fd, mode);
    } finally {
      closeFd(fd);
    }
  } finally {
    closeFd(dir);
  }
}

function rel(p: string): string {
  return path.posix.normalize("/" + p).replace(/\/$/, "") || "/";
}

/** tar, gzip, bzip2 or xz by magic number, as ADD decides. */
function isArchive(src: ScopedRoot, p: string): boolean {
  const fd = src.openRegular(p);
  if (fd === undefined) return false;
  try {
    const buf = Buffer.alloc(512);
    const bytesRead = fs.readSync(fd, buf, 0, 512, 0);
    const b = buf.subarray(0, bytesRead);
    if (b[0] === 0x1f && b[1] === 0x8b) return true;
    if (b.subarray(0, 3).toString("latin1") === "BZh") return true;
    if (b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return true;
    return bytesRead >= 262 && b.subarray(257, 262).toString("latin1") === "ustar";
  } finally {
    closeFd(fd);
  }
}

/** `--chown=user[:group]`: numbers, or names from the image's /etc/passwd and /etc/group. */
export async function resolveOwner(root: ScopedRoot, chown: string | undefined): Promise<Owner> {
  if (!chown) return { uid: 0, gid: 0 };
  const [u, g] = chown.split(":");
  const lookup = async (file: string, name: string, field: number): Promise<{ id: number; gid?: number }> => {
    if (/^\d+$/.test(name)) return { id: Number(name) };
    const text = root.readFile(file)?.toString("utf8") ?? "";
    for (const line of text.split("\n")) {
      const f = line.split(":");
      if (f[0] === name) return { id: Number(f[2]), gid: field === 3 ? Number(f[3]) : undefined };
    }
    throw new InvalidArgumentError(`unable to convert uid/gid chown string to host mapping: can't find ${file === "etc/passwd" ? "uid" : "gid"} for user ${name}: no such user: ${name}`);
  };
  const user = await lookup("etc/passwd", u, 3);
  const gid = g !== undefined ? (await lookup("etc/group", g, 2)).id : /^\d+$/.test(u) ? user.id : (user.gid ?? 0);
  return { uid: user.id, gid };
}
