import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { closeFd, fdPath, readdirFd } from "../../lib/scoped-fs/at.js";
import { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";
import { packTar } from "../../snapshot/tar-pack.js";
import { unpackTar } from "../../snapshot/tar-unpack.js";
import { withOverlay } from "../build/overlay-mount.js";

/**
 * Copy what the image has at `dest` into a volume that is still empty, the
 * way dockerd populates a new volume. The container's layers are mounted
 * read-only in a scratch dir; `dest` is resolved inside that root (an image
 * symlink cannot point the copy at host files) and the copy is a tar stream
 * into the volume, itself written as an untrusted root (another container
 * may already use it).
 */
export async function copyImageContent(
  layers: { upperDir: string; lowerDirs: string[] },
  dest: string,
  volumeDir: string,
  scratch: string,
): Promise<void> {
  if ((await fs.promises.readdir(volumeDir).catch(() => ["?"])).length > 0) return;
  const id = randomBytes(6).toString("hex");
  const merged = path.join(scratch, `copyup-${id}`);
  const empty = path.join(scratch, `empty-${id}`);
  try {
    await withOverlay({ mergedDir: merged, lowerDirs: [layers.upperDir, ...layers.lowerDirs], emptyDir: empty }, async (dir) => {
      const image = ScopedRoot.open(dir);
      const volume = ScopedRoot.open(volumeDir);
      try {
        const src = image.realPath(dest);
        const st = image.stat(src);
        if (!st?.isDirectory()) return; // nothing in the image at that path
        const top = image.open(src);
        let names: string[];
        try {
          names = readdirFd(top).sort();
        } finally {
          closeFd(top);
        }
        if (names.length > 0) await unpackTar(packTar(image, src, names.map((name) => ({ name }))), volume);
        // The volume's root takes the owner and mode of the image's directory.
        fs.chownSync(fdPath(volume.fd), st.uid, st.gid);
        fs.chmodSync(fdPath(volume.fd), st.mode & 0o7777);
      } finally {
        image.close();
        volume.close();
      }
    });
  } finally {
    await fs.promises.rm(merged, { recursive: true, force: true }).catch(() => undefined);
    await fs.promises.rm(empty, { recursive: true, force: true }).catch(() => undefined);
  }
}
