import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { cleanEntryPath, resolveInRoot } from "../../snapshot/scoped-path.js";
import { withOverlay } from "../build/overlay-mount.js";

const run = promisify(execFile);

/**
 * Copy what the image has at `dest` into a volume that is still empty, the
 * way dockerd populates a new volume. The container's layers are mounted
 * read-only in a scratch dir; the path is resolved inside that root so image
 * symlinks cannot point the copy at host files.
 */
export async function copyImageContent(
  layers: { upperDir: string; lowerDirs: string[] },
  dest: string,
  volumeDir: string,
  scratch: string,
): Promise<void> {
  if ((await fs.readdir(volumeDir).catch(() => ["?"])).length > 0) return;
  const id = randomBytes(6).toString("hex");
  const merged = path.join(scratch, `copyup-${id}`);
  const empty = path.join(scratch, `empty-${id}`);
  try {
    await withOverlay({ mergedDir: merged, lowerDirs: [layers.upperDir, ...layers.lowerDirs], emptyDir: empty }, async (root) => {
      let src: string;
      try {
        src = await resolveInRoot(root, cleanEntryPath(dest), false);
        const st = await fs.lstat(src);
        if (st.isSymbolicLink()) src = await resolveInRoot(root, path.relative(root, src) + "/.", false);
        if (!(await fs.stat(src)).isDirectory()) return;
      } catch {
        return; // nothing in the image at that path
      }
      await run("cp", ["-a", "--", src + "/.", volumeDir + "/"]);
      // The volume's root takes the owner and mode of the image's directory.
      const st = await fs.stat(src);
      await fs.chown(volumeDir, st.uid, st.gid);
      await fs.chmod(volumeDir, st.mode & 0o7777);
    });
  } finally {
    await fs.rm(merged, { recursive: true, force: true }).catch(() => undefined);
    await fs.rm(empty, { recursive: true, force: true }).catch(() => undefined);
  }
}
