import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { resolveInRoot } from "../../snapshot/scoped-path.js";
import type { MountPoint, WithMountPoints } from "../../volume/mount-point.js";
import type { ContainerRecord } from "../containers/types.js";

const run = promisify(execFile);

type Rec = ContainerRecord & WithMountPoints;

async function isMountPoint(dir: string): Promise<boolean> {
  const info = await fs.readFile("/proc/self/mountinfo", "utf8");
  return info.split("\n").some((l) => l.split(" ")[4] === dir);
}

const locks = new Map<string, Promise<unknown>>();

/**
 * Run `fn` with the container's root filesystem mounted on the host: a
 * running container's monitor has it mounted already; for a stopped one the
 * overlay is mounted read-write for the call and unmounted afterwards.
 * Calls for one container are serialised so two never fight over the mount.
 */
export async function withContainerFs<T>(c: ContainerRecord, fn: (root: string) => Promise<T>): Promise<T> {
  const l = c.layers;
  if (!l) throw new NotFoundError(`container ${c.id} has no filesystem`);
  const prev = locks.get(c.id) ?? Promise.resolve();
  const job = prev.catch(() => undefined).then(async () => {
    if (await isMountPoint(l.mergedDir)) return fn(l.mergedDir);
    await fs.mkdir(l.mergedDir, { recursive: true });
    await fs.mkdir(l.workDir, { recursive: true });
    const lowers = l.lowerDirs.length ? l.lowerDirs : [await emptyLower(l.mergedDir)];
    await run("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${lowers.join(":")},upperdir=${l.upperDir},workdir=${l.workDir}`, l.mergedDir]);
    try {
      return await fn(l.mergedDir);
    } finally {
      await run("umount", [l.mergedDir]).catch(() => run("umount", ["-l", l.mergedDir]).catch(() => undefined));
    }
  });
  locks.set(c.id, job);
  try {
    return await job;
  } finally {
    if (locks.get(c.id) === job) locks.delete(c.id);
  }
}

async function emptyLower(merged: string): Promise<string> {
  const d = path.join(path.dirname(merged), "empty-lower");
  await fs.mkdir(d, { recursive: true });
  return d;
}

/** A path inside the container: absolute, with `..` clamped at the root (as a chrooted process sees it). */
export function containerPath(p: string): string {
  if (!p) throw new InvalidArgumentError("Path cannot be empty");
  return path.posix.normalize("/" + p);
}

/**
 * Where a container path lives on the host: inside a mounted volume or bind
 * when it is under one (the longest destination wins), else in the rootfs.
 * Symlinks are resolved inside that root, so nothing outside it is reachable.
 * `followLast` also resolves a symlink in the last component.
 */
export async function resolveContainerPath(c: Rec, root: string, p: string, followLast = false, named = c.name.slice(1)): Promise<{ hostPath: string; mount?: MountPoint; base: string }> {
  const abs = containerPath(p);
  let base = root;
  let rel = abs.slice(1);
  let mount: MountPoint | undefined;
  for (const m of c.mountPoints ?? []) {
    if (m.Type === "tmpfs") continue;
    if (abs === m.Destination || abs.startsWith(m.Destination + "/")) {
      if (!mount || m.Destination.length > mount.Destination.length) mount = m;
    }
  }
  if (mount) {
    base = mount.Source;
    rel = abs.slice(mount.Destination.length).replace(/^\//, "");
  }
  let hostPath = await resolveInRoot(base, rel, false).catch((err) => {
    const code = (err as NodeJS.ErrnoException).code;
    // A file named as a directory ("file/", "file/x"): the kernel's answer, as dockerd gives it.
    if (code === "ENOTDIR") throw new InvalidArgumentError(`Could not stat ${p} in container ${named}: not a directory`);
    if (code === "ENOENT") return undefined;
    throw err;
  });
  if (hostPath === undefined) throw new NotFoundError(`Could not find the file ${p} in container ${named}`);
  if (followLast || p.endsWith("/") || p.endsWith("/.")) {
    // Resolving "<path>/." follows the last link inside the root too.
    hostPath = await resolveInRoot(base, path.relative(base, hostPath) ? path.relative(base, hostPath) + "/." : "", false).catch(() => hostPath!);
    hostPath = hostPath.replace(/\/\.$/, "");
  }
  if (p.endsWith("/") && !(await isDirectory(hostPath))) throw new InvalidArgumentError(`Could not stat ${p} in container ${named}: not a directory`);
  return { hostPath, mount, base };
}

async function isDirectory(hostPath: string): Promise<boolean> {
  // hostPath is already resolved inside the container's root: lstat, never follow a host link.
  const st = await fs.lstat(hostPath).catch(() => undefined);
  return !!st?.isDirectory();
}
