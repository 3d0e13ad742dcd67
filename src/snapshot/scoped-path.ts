import { promises as fs } from "node:fs";
import path from "node:path";
import { InvalidArgumentError } from "../lib/errors.js";

/**
 * Turn a tar entry name into a clean path relative to the layer root.
 * Leading slashes are dropped (the archive root is the layer root, as in
 * Docker); a name that climbs out of the root with `..` is rejected.
 * Returns "" for the root itself.
 */
export function cleanEntryPath(name: string): string {
  const rel = path.posix.normalize(name.replace(/\\/g, "/").replace(/^\/+/, ""));
  if (rel === "." || rel === "./" || rel === "") return "";
  if (rel === ".." || rel.startsWith("../")) {
    throw new InvalidArgumentError(`invalid tar entry "${name}": path escapes the layer root`);
  }
  return rel.replace(/\/+$/, "");
}

const MAX_LINK_HOPS = 255;

/**
 * Resolve `rel` (already cleaned) inside `root` the way a chrooted process
 * would: symlinks met on the way are followed but interpreted relative to
 * `root`, and `..` never climbs above it. The last component is NOT
 * followed, so the caller can replace it. With `create`, missing parent
 * directories are created (0755, like Docker does for implied parents).
 * The result is always `root` or a path below it.
 */
export async function resolveInRoot(root: string, rel: string, create: boolean): Promise<string> {
  const parts = rel === "" ? [] : rel.split("/");
  const last = parts.pop();
  const parent = await resolveDir(root, parts, create, 0);
  return last === undefined ? parent : path.join(parent, last);
}

async function resolveDir(root: string, parts: string[], create: boolean, hops: number): Promise<string> {
  let cur = root;
  const queue = [...parts];
  while (queue.length > 0) {
    const part = queue.shift()!;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      cur = cur === root ? root : path.dirname(cur);
      continue;
    }
    const next = path.join(cur, part);
    let st;
    try {
      st = await fs.lstat(next);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || !create) throw err;
      await fs.mkdir(next, { mode: 0o755 });
      cur = next;
      continue;
    }
    if (st.isSymbolicLink()) {
      if (++hops > MAX_LINK_HOPS) throw new InvalidArgumentError(`too many levels of symbolic links under ${root}`);
      const target = await fs.readlink(next);
      // An absolute target restarts at the root; a relative one continues from the link's directory.
      if (target.startsWith("/")) cur = root;
      queue.unshift(...target.split("/"));
      continue;
    }
    if (!st.isDirectory()) {
      if (!create) throw Object.assign(new Error(`not a directory: ${next}`), { code: "ENOTDIR" });
      // A file where the archive needs a directory: the later entry wins, as in Docker.
      await fs.rm(next, { force: true });
      await fs.mkdir(next, { mode: 0o755 });
    }
    cur = next;
  }
  return cur;
}
