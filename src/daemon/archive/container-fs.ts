import { promises as fs, statSync } from "node:fs";
import path from "node:path";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";
import { withView, type ViewMount } from "../../lib/scoped-fs/view.js";
import type { WithMountPoints } from "../../volume/mount-point.js";
import type { ContainerRecord } from "../containers/types.js";

type Rec = ContainerRecord & WithMountPoints;

async function isMountPoint(dir: string): Promise<boolean> {
  const info = await fs.readFile("/proc/self/mountinfo", "utf8");
  return info.split("\n").some((l) => l.split(" ")[4] === dir);
}

const locks = new Map<string, Promise<unknown>>();

/**
 * Run `fn` on the container's filesystem as the container sees it: its
 * root with its volumes and binds on top (tmpfs mounts are not included, as
 * in Docker), assembled in a private mount namespace (lib/scoped-fs/view.ts)
 * and handed over as a ScopedRoot, so every path resolves inside the
 * container, symlinks included. A running container's rootfs is bound
 * from the monitor's mount (or, with no mounts to add, used as it is); a
 * stopped one's overlay is mounted only in that namespace. `write: false` makes everything read-only; `rootfsOnly` leaves
 * the mounts out (export). Calls on one stopped container are serialised so
 * two never mount the same overlay at once.
 */
export async function withContainerFs<T>(c: Rec, o: { write: boolean; rootfsOnly?: boolean }, fn: (root: ScopedRoot) => Promise<T>): Promise<T> {
  const l = c.layers;
  if (!l) throw new NotFoundError(`container ${c.id} has no filesystem`);
  const mounts = o.rootfsOnly ? [] : viewMounts(c);
  const spec = { target: l.mergedDir, readonly: !o.write, rootReadonly: !!c.hostConfig.ReadonlyRootfs, mounts };
  if (await isMountPoint(l.mergedDir)) {
    // Running, nothing to assemble: the monitor's mount is the view (no helper to spawn).
    if (mounts.length === 0 && !(o.write && spec.rootReadonly)) return withRoot(l.mergedDir, fn);
    return withView({ ...spec, root: { bind: l.mergedDir } }, fn);
  }
  // Stopped: one overlay instance at a time on its upper dir.
  const prev = locks.get(c.id) ?? Promise.resolve();
  const job = prev.catch(() => undefined).then(async () => {
    await fs.mkdir(l.mergedDir, { recursive: true });
    await fs.mkdir(l.workDir, { recursive: true });
    const lowers = l.lowerDirs.length ? l.lowerDirs : [await emptyLower(l.mergedDir)];
    return withView({ ...spec, root: { overlay: `lowerdir=${lowers.join(":")},upperdir=${l.upperDir},workdir=${l.workDir}` } }, fn);
  });
  locks.set(c.id, job);
  try {
    return await job;
  } finally {
    if (locks.get(c.id) === job) locks.delete(c.id);
  }
}

async function withRoot<T>(dir: string, fn: (root: ScopedRoot) => Promise<T>): Promise<T> {
  const root = ScopedRoot.open(dir);
  try {
    return await fn(root);
  } finally {
    root.close();
  }
}

/** Volumes and binds as the runtime mounts them (tmpfs mounts have no host side to show). */
function viewMounts(c: Rec): ViewMount[] {
  const out: ViewMount[] = [];
  for (const m of c.mountPoints ?? []) {
    if (m.Type === "tmpfs" || !m.Source) continue;
    let isDir: boolean;
    try {
      isDir = statSync(m.Source).isDirectory();
    } catch {
      continue; // a bind whose source is gone: the container would not start either
    }
    out.push({ source: m.Source, destination: m.Destination, readonly: !m.RW, isDir });
  }
  return out;
}

async function emptyLower(merged: string): Promise<string> {
  const d = path.join(path.dirname(merged), "empty-lower");
  await fs.mkdir(d, { recursive: true });
  return d;
}

/** A path inside the container: absolute, with `..` clamped at the root (as a chrooted process sees it). */
export function containerPath(p: string): string {
  if (!p) throw new InvalidArgumentError("Path cannot be empty");
  if (p.includes("\0")) throw new InvalidArgumentError("Path cannot contain a NUL byte");
  return path.posix.normalize("/" + p);
}
