import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Mount an overlay for the builder's own file work (COPY/ADD/WORKDIR and
 * reading other stages), run `fn` on the merged dir, always unmount. Without
 * an upper dir the mount is read-only; an empty bottom dir makes a single
 * read-only lower legal on every kernel.
 */
export async function withOverlay<T>(
  o: { mergedDir: string; lowerDirs: string[]; upperDir?: string; workDir?: string; emptyDir: string },
  fn: (root: string) => Promise<T>,
): Promise<T> {
  await fs.mkdir(o.mergedDir, { recursive: true });
  await fs.mkdir(o.emptyDir, { recursive: true });
  const lowers = [...o.lowerDirs, o.emptyDir];
  const opts = o.upperDir
    ? `lowerdir=${lowers.join(":")},upperdir=${o.upperDir},workdir=${o.workDir}`
    : `lowerdir=${lowers.join(":")}`;
  await run("mount", ["-t", "overlay", "overlay", "-o", opts, o.mergedDir]);
  try {
    return await fn(o.mergedDir);
  } finally {
    await run("umount", [o.mergedDir]).catch(() => run("umount", ["-l", o.mergedDir]));
  }
}
