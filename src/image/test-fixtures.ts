import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { create as createTar } from "tar";

/**
 * A busybox root filesystem tarball built from the host's busybox-static:
 * /bin/busybox plus one hardlink per applet, and the few dirs a container
 * expects. Returns the tar path; the caller removes `dir` when done.
 */
export async function makeBusyboxTar(opts: { gzip?: boolean } = {}): Promise<{ tar: string; dir: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-bbtar-"));
  const root = path.join(dir, "rootfs");
  for (const d of ["bin", "etc", "tmp", "proc", "sys", "dev", "root"]) await fs.mkdir(path.join(root, d), { recursive: true });
  await fs.chmod(path.join(root, "tmp"), 0o1777);
  const busybox = path.join(root, "bin", "busybox");
  await fs.copyFile("/bin/busybox", busybox);
  await fs.chmod(busybox, 0o755);
  const applets = execFileSync("/bin/busybox", ["--list"], { encoding: "utf8" }).split("\n").filter((a) => a && a !== "busybox");
  for (const a of applets) await fs.link(busybox, path.join(root, "bin", a));
  await fs.writeFile(path.join(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n");
  await fs.writeFile(path.join(root, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
  const tar = path.join(dir, opts.gzip ? "busybox.tar.gz" : "busybox.tar");
  await createTar({ cwd: root, file: tar, gzip: !!opts.gzip, portable: true }, ["."]);
  return { tar, dir };
}
