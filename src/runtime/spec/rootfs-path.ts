/**
 * Reading files inside a container rootfs from the host. Container files
 * are untrusted: a symlink such as /etc/passwd -> /../../host/secret must be
 * interpreted as the container would see it (relative to its own root), never
 * followed out of the rootfs by the host kernel, not even when the container
 * swaps it while we read (the kernel resolves the path, see lib/scoped-fs).
 */
import { InvalidArgumentError } from "../../lib/errors.js";
import { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";

/** Reads a container file safely; undefined when it does not exist or is not a regular file. */
export async function readFileInRoot(root: string, containerPath: string): Promise<string | undefined> {
  let scoped: ScopedRoot;
  try {
    scoped = ScopedRoot.open(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    return scoped.readFile(containerPath)?.toString("utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP") throw new InvalidArgumentError(`too many levels of symbolic links resolving ${containerPath}`);
    throw err;
  } finally {
    scoped.close();
  }
}
