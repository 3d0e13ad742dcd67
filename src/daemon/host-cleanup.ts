import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { mountsUnder } from "../snapshot/mounts.js";
import { log } from "../lib/log.js";
import { isRunning } from "./containers/state.js";
import type { ContainerRecord } from "./containers/types.js";
import type { WithMountPoints } from "../volume/mount-point.js";

const run = promisify(execFile);

/**
 * Host state the daemon leaves behind only while containers need it: its
 * own mounts under the data-root (a stopped container's rootfs mounted for
 * `cp`, build overlays, volumes with driver options) and its cgroup parent. Called at
 * start (after a crash) and at shutdown; whatever a running container uses
 * is kept.
 */

/** What running containers need mounted: their rootfs and their volumes' mountpoints. */
export function mountsInUse(containers: ContainerRecord[]): string[] {
  const keep: string[] = [];
  for (const c of containers) {
    if (!isRunning(c.state.status)) continue;
    if (c.layers?.mergedDir) keep.push(c.layers.mergedDir);
    for (const m of (c as ContainerRecord & WithMountPoints).mountPoints ?? []) if (m.Type === "volume" && m.Source) keep.push(m.Source);
  }
  return keep;
}

/**
 * Which mount points under the data-root are the daemon's own: a container
 * rootfs (`storage/overlay/<key>/merged`, mounted for cp/export or by a
 * monitor), anything under `build/` and `tmp/`, and a volume's `_data` when
 * `isOptsVolume(name)` (a volume with driver options, mounted on first use).
 * Everything else is the administrator's (the data-root itself on its own
 * disk, a `volumes/` directory mounted from elsewhere …) and never touched.
 */
export function daemonMountMatcher(dataRoot: string, isOptsVolume: (name: string) => boolean): (mountPoint: string) => boolean {
  const root = path.resolve(dataRoot);
  return (m) => {
    if (!m.startsWith(root + "/")) return false;
    const rel = m.slice(root.length + 1).split("/");
    if (rel[0] === "storage" && rel[1] === "overlay" && rel.length === 4 && rel[3] === "merged") return true;
    if ((rel[0] === "build" || rel[0] === "tmp") && rel.length > 1) return true;
    return rel[0] === "volumes" && rel.length === 3 && rel[2] === "_data" && isOptsVolume(rel[1]!);
  };
}

/** Unmount the daemon's own mounts under `root` (see daemonMountMatcher) except `keep`, deepest first; returns how many went. */
export async function sweepMounts(root: string, owned: (mountPoint: string) => boolean, keep: string[]): Promise<number> {
  const kept = new Set(keep.map((k) => path.resolve(k)));
  const found = (await mountsUnder(root).catch(() => [] as string[])).filter((m) => owned(m) && !kept.has(m));
  let n = 0;
  for (const m of [...new Set(found)].sort((a, b) => b.length - a.length)) {
    try {
      await run("umount", [m]).catch(() => run("umount", ["-l", m]));
      n++;
    } catch (err) {
      log.warn("cannot unmount", { path: m, error: String(err) });
    }
  }
  return n;
}

/**
 * Remove the containers' cgroup parent (`--cgroup-parent`) in every
 * hierarchy once no container runs: its empty leftover child groups first.
 * A group that still holds processes refuses rmdir and stays.
 */
export async function removeCgroupParent(parent: string): Promise<void> {
  const rel = parent.replace(/\/+$/, "");
  if (!rel || rel === "/") return;
  const hierarchies = (await isCgroup2Root()) ? ["/sys/fs/cgroup"] : (await fs.readdir("/sys/fs/cgroup").catch(() => [] as string[])).map((h) => `/sys/fs/cgroup/${h}`);
  for (const h of hierarchies) {
    const dir = `${h}${rel.startsWith("/") ? rel : `/${rel}`}`;
    for (const child of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (child.isDirectory()) await fs.rmdir(path.join(dir, child.name)).catch(() => undefined);
    }
    await fs.rmdir(dir).catch(() => undefined);
  }
}

async function isCgroup2Root(): Promise<boolean> {
  return fs.access("/sys/fs/cgroup/cgroup.controllers").then(() => true, () => false);
}
