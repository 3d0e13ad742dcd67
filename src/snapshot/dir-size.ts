import { promises as fs } from "node:fs";
import path from "node:path";

/** Bytes used by the files under `dir`, each hardlinked inode counted once (like `du --apparent-size`). */
export async function dirSize(dir: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    let names: string[];
    try {
      names = await fs.readdir(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    for (const name of names) {
      const p = path.join(d, name);
      const st = await fs.lstat(p).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) {
        await walk(p);
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
  await walk(dir);
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
