/**
 * Resolving paths inside a container rootfs from the host. Container files
 * are untrusted: a symlink such as /etc/passwd -> /../../host/secret must be
 * interpreted as the container would see it (relative to its own root), never
 * followed out of the rootfs by the host kernel.
 */
import { lstat, readlink, readFile } from "node:fs/promises";
import { join } from "node:path";
import { InvalidArgumentError } from "../../lib/errors.js";

const MAX_SYMLINKS = 40;

/**
 * Maps a container path to a host path under `root`, resolving each symlink
 * component as if `root` were "/". Missing components are kept literally.
 */
export async function resolveInRoot(root: string, containerPath: string): Promise<string> {
  let pending = splitPath(containerPath);
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === "..") {
      resolved.pop();
      continue;
    }
    const candidate = join(root, ...resolved, part);
    let isLink = false;
    try {
      isLink = (await lstat(candidate)).isSymbolicLink();
    } catch {
      // Does not exist (yet): keep the rest literally.
    }
    if (!isLink) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) throw new InvalidArgumentError(`too many levels of symbolic links resolving ${containerPath}`);
    const target = await readlink(candidate);
    if (target.startsWith("/")) resolved.length = 0;
    pending = [...splitPath(target), ...pending];
  }
  return join(root, ...resolved);
}

function splitPath(p: string): string[] {
  return p.split("/").filter((s) => s !== "" && s !== ".");
}

/** Reads a container file safely; undefined when it does not exist or is not a regular file. */
export async function readFileInRoot(root: string, containerPath: string): Promise<string | undefined> {
  const hostPath = await resolveInRoot(root, containerPath);
  try {
    // resolveInRoot leaves no symlink in the path, so lstat sees the final file.
    if (!(await lstat(hostPath)).isFile()) return undefined;
    return await readFile(hostPath, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw err;
  }
}
