import { promises as fs, createReadStream } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { x as untar } from "tar";
import { InvalidArgumentError } from "../../lib/errors.js";
import { resolveInRoot } from "../../snapshot/scoped-path.js";
import { AutoDecompress } from "../../snapshot/decompress.js";
import type { SourceFile } from "../../build/context/source-files.js";

export interface Owner {
  uid: number;
  gid: number;
}

/**
 * Put COPY/ADD sources into a mounted rootfs the way Docker does: a dir's
 * contents (not the dir) are copied; a file goes to `dest` or, when dest
 * ends in `/` or is a directory, to dest/basename; copied files belong to
 * root (or --chown) and keep their mode (or get --chmod); missing parents
 * of dest are created 0755. ADD extracts local tar archives into dest.
 */
export async function copyInto(
  root: string, sources: SourceFile[], dest: string,
  opts: { owner: Owner; chmod?: number; extractArchives: boolean; what: string },
): Promise<void> {
  const destIsDir = dest.endsWith("/") || sources.length > 1 || (await isDir(root, dest));
  if (sources.length > 1 && !dest.endsWith("/")) {
    throw new InvalidArgumentError(`When using ${opts.what} with more than one source file, the destination must be a directory and end with a /`);
  }
  for (const s of sources) {
    if (s.isDir) {
      const target = await resolveInRoot(root, rel(dest), true);
      await ensureDir(target, opts.owner);
      await copyTree(s.abs, target, opts);
    } else if (opts.extractArchives && (await isArchive(s.abs))) {
      const target = await resolveInRoot(root, rel(dest), true);
      await ensureDir(target, opts.owner);
      await pipeline(createReadStream(s.abs), new AutoDecompress(), untar({ cwd: target, umask: 0, preservePaths: false }));
    } else {
      const target = await resolveInRoot(root, rel(destIsDir ? path.posix.join(dest, path.posix.basename(s.rel)) : dest), true);
      await copyOne(s.abs, target, opts);
    }
  }
}

/** Write literal content (COPY <<EOF file, ADD of a URL) as a new file. */
export async function writeInto(root: string, dest: string, name: string, data: Buffer, mode: number, owner: Owner): Promise<void> {
  const target = await resolveInRoot(root, rel(dest.endsWith("/") || (await isDir(root, dest)) ? path.posix.join(dest, name) : dest), true);
  await fs.rm(target, { recursive: true, force: true });
  await fs.writeFile(target, data, { mode });
  await fs.chmod(target, mode);
  await fs.lchown(target, owner.uid, owner.gid);
}

function rel(p: string): string {
  return path.posix.normalize("/" + p).slice(1).replace(/\/$/, "");
}

async function isDir(root: string, dest: string): Promise<boolean> {
  try {
    return (await fs.stat(await resolveInRoot(root, rel(dest), false))).isDirectory();
  } catch {
    return false;
  }
}

async function ensureDir(target: string, owner: Owner): Promise<void> {
  try {
    if ((await fs.lstat(target)).isDirectory()) return;
    await fs.rm(target, { force: true });
  } catch {
    /* missing */
  }
  await fs.mkdir(target, { recursive: true, mode: 0o755 });
  await fs.lchown(target, owner.uid, owner.gid);
}

async function copyTree(src: string, dst: string, opts: { owner: Owner; chmod?: number }): Promise<void> {
  for (const n of await fs.readdir(src)) await copyOne(path.join(src, n), path.join(dst, n), opts);
}

async function copyOne(src: string, dst: string, opts: { owner: Owner; chmod?: number }): Promise<void> {
  const st = await fs.lstat(src);
  const existing = await fs.lstat(dst).catch(() => undefined);
  if (st.isDirectory()) {
    if (existing && !existing.isDirectory()) await fs.rm(dst, { force: true });
    if (!existing || !existing.isDirectory()) await fs.mkdir(dst);
    await fs.chmod(dst, opts.chmod ?? st.mode & 0o7777);
    await fs.lchown(dst, opts.owner.uid, opts.owner.gid);
    await copyTree(src, dst, opts);
    return;
  }
  if (existing) await fs.rm(dst, { recursive: true, force: true });
  if (st.isSymbolicLink()) {
    await fs.symlink(await fs.readlink(src), dst);
  } else {
    await fs.copyFile(src, dst);
    await fs.chmod(dst, opts.chmod ?? st.mode & 0o7777);
  }
  await fs.lchown(dst, opts.owner.uid, opts.owner.gid);
}

/** tar, gzip, bzip2 or xz by magic number, as ADD decides. */
async function isArchive(file: string): Promise<boolean> {
  const fh = await fs.open(file, "r");
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    const b = buf.subarray(0, bytesRead);
    if (b[0] === 0x1f && b[1] === 0x8b) return true;
    if (b.subarray(0, 3).toString("latin1") === "BZh") return true;
    if (b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return true;
    return bytesRead >= 262 && b.subarray(257, 262).toString("latin1") === "ustar";
  } finally {
    await fh.close();
  }
}

/** `--chown=user[:group]`: numbers, or names from the image's /etc/passwd and /etc/group. */
export async function resolveOwner(root: string, chown: string | undefined): Promise<Owner> {
  if (!chown) return { uid: 0, gid: 0 };
  const [u, g] = chown.split(":");
  const lookup = async (file: string, name: string, field: number): Promise<{ id: number; gid?: number }> => {
    if (/^\d+$/.test(name)) return { id: Number(name) };
    const text = await fs.readFile(await resolveInRoot(root, file, false), "utf8").catch(() => "");
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
