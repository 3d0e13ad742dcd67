/**
 * The host's device nodes, for --privileged containers (which see every
 * host device, as with Docker). Read once per process.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { OciDevice } from "./types.js";

/** Directories under /dev that are per-container mounts or not devices. */
const SKIP_DIRS = new Set(["pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev"]);
/** The runtime sets up /dev/console itself for terminals. */
const SKIP_FILES = new Set(["console"]);

/** Linux dev_t split (glibc's gnu_dev_major/minor). */
export function splitDev(rdev: bigint): { major: number; minor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major: Number(major & 0xffffffffn), minor: Number(minor & 0xffffffffn) };
}

async function walk(dir: string, out: OciDevice[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(path, out);
      continue;
    }
    if (SKIP_FILES.has(e.name) || !(e.isCharacterDevice() || e.isBlockDevice())) continue;
    try {
      const st = await stat(path, { bigint: true });
      const { major, minor } = splitDev(st.rdev);
      out.push({
        path,
        type: st.isBlockDevice() ? "b" : "c",
        major,
        minor,
        fileMode: Number(st.mode & 0o777n),
        uid: Number(st.uid),
        gid: Number(st.gid),
      });
    } catch {
      // Vanished while listing: skip.
    }
  }
}

let cached: Promise<OciDevice[]> | undefined;

/** Device nodes under /dev (without pts, shm, mqueue, fd and console). */
export function hostDevices(): Promise<OciDevice[]> {
  cached ??= (async () => {
    const out: OciDevice[] = [];
    await walk("/dev", out);
    return out;
  })();
  return cached.then((list) => list.map((d) => ({ ...d })));
}
