// Best-effort removal of what an engine leaves on the host: mounts under its dirs, cgroups, dirs.
import { promises as fs } from "node:fs";
import { runCmd } from "../lib/proc.js";

export async function unmountUnder(prefixes: string[]): Promise<void> {
  const info = await fs.readFile("/proc/self/mountinfo", "utf8");
  const mounts = info.split("\n").map((l) => l.split(" ")[4]).filter((m) => m && prefixes.some((p) => m.startsWith(p)));
  for (const m of mounts.reverse()) await runCmd({ cmd: "umount", args: ["-l", m] });
}

export async function removeCgroupTree(parent: string): Promise<void> {
  for (const ctrl of await fs.readdir("/sys/fs/cgroup").catch(() => [] as string[])) {
    const dir = `/sys/fs/cgroup/${ctrl}${parent}`;
    for (const sub of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (sub.isDirectory()) await fs.rmdir(`${dir}/${sub.name}`).catch(() => undefined);
    }
    await fs.rmdir(dir).catch(() => undefined);
  }
}

export async function removeDirs(dirs: string[]): Promise<void> {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true }).catch(() => undefined);
}

/** SIGTERM a process and wait (bounded) for it to go, then SIGKILL. */
export async function terminate(pid: number | undefined, graceMs = 20_000): Promise<void> {
  if (!pid) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive()) process.kill(pid, "SIGKILL");
}
