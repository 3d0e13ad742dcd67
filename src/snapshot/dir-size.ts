import { promises as fs } from "node:fs";
import path from "node:path";
import { closeFd, fdPath, openAt } from "../lib/scoped-fs/at.js";
import { fsat } from "../lib/scoped-fs/native.js";
import { ScopedRoot } from "../lib/scoped-fs/scoped-root.js";

/**
 * Bytes used by the files under `dir`, each hardlinked inode counted once
 * (like `du --apparent-size`). `dir` holds a container's files (an upper
 * dir, a volume) that change while we count: the walk goes through
 * descriptors, so a directory swapped for a symlink is skipped, never
 * followed into the host's tree.
 */
export async function dirSize(dir: string): Promise<number> {
  let root: ScopedRoot;
  try {
    root = ScopedRoot.open(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
  const seen = new Set<string>();
  let total = 0;
  const a = fsat();
  const walk = async (dirFd: number): Promise<void> => {
    const names = await fs.readdir(fdPath(dirFd)).catch(() => [] as string[]);
    for (const name of names) {
      const st = await fs.lstat(fdPath(dirFd, name)).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) {
        let fd: number;
        try {
          fd = openAt(dirFd, name, a.O_PATH | a.O_DIRECTORY);
        } catch {
          continue; // gone or swapped for something else meanwhile
        }
        try {
          await walk(fd);
        } finally {
          closeFd(fd);
        }
        continue;
      }
      if (st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      if (st.isFile() || st.isSymbolicLink()) total += st.size;
    }
  };
  try {
    await walk(root.fd);
  } finally {
    root.close();
  }
  return total;
}

/**
 * Disk space used under `paths`, as `du` counts it: allocated blocks of every
 * file and directory, each hardlinked inode once (across all the paths).
 */
export async function diskUsage(paths: string[]): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const visit = async (p: string): Promise<void> => {
    const st = await fs.lstat(p, { bigint: false }).catch(() => undefined);
    if (!st) return;
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    total += st.blocks * 512;
    if (!st.isDirectory()) return;
    for (const name of await fs.readdir(p).catch(() => [] as string[])) await visit(path.join(p, name));
  };
  for (const p of paths) await visit(p);
  return total;
}
