// Host facts and process memory: what the results file records about the machine,
// and RSS/PSS sums of processes picked out of /proc.
import { promises as fs } from "node:fs";
import os from "node:os";
import { runCmd } from "./proc.js";

export interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  cmdline: string;
}

export async function listProcs(): Promise<ProcInfo[]> {
  const out: ProcInfo[] = [];
  for (const name of await fs.readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await fs.readFile(`/proc/${name}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      const cmdline = (await fs.readFile(`/proc/${name}/cmdline`, "utf8")).replace(/\0/g, " ").trim();
      out.push({ pid: Number(name), ppid, comm, cmdline });
    } catch {
      /* the process ended while we looked */
    }
  }
  return out;
}

/** Resident and proportional set size of one process, in kB (0 when it is gone). */
export async function memKb(pid: number): Promise<{ rss: number; pss: number }> {
  try {
    const rollup = await fs.readFile(`/proc/${pid}/smaps_rollup`, "utf8");
    const get = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(rollup)?.[1] ?? 0);
    return { rss: get("Rss"), pss: get("Pss") };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

export async function sumMemMb(pids: number[]): Promise<{ rssMb: number; pssMb: number; count: number }> {
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    const m = await memKb(pid);
    rss += m.rss;
    pss += m.pss;
  }
  return { rssMb: rss / 1024, pssMb: pss / 1024, count: pids.length };
}

/** A process and all its descendants. */
export function withDescendants(procs: ProcInfo[], root: number): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const p of procs) if (p.ppid === out[i]) out.push(p.pid);
  return out;
}

export async function machineFacts(): Promise<Record<string, string>> {
  const v = async (cmd: string, args: string[]) => {
    const r = await runCmd({ cmd, args }, { timeoutMs: 10_000 });
    return r.code === 0 ? r.stdout.trim().split("\n")[0] : "missing";
  };
  const cgroup = (await fs.stat("/sys/fs/cgroup/cgroup.controllers").then(() => true, () => false)) ? "v2" : "v1";
  const osRelease = await fs.readFile("/etc/os-release", "utf8").catch(() => "");
  return {
    date: new Date().toISOString(),
    os: /^PRETTY_NAME="?([^"\n]*)/m.exec(osRelease)?.[1] ?? "linux",
    kernel: os.release(),
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    "load average at start": os.loadavg().map((x) => x.toFixed(2)).join(" "),
    cgroups: cgroup,
    node: process.version,
    crun: await v("crun", ["--version"]),
    runc: await v("runc", ["--version"]),
    dockerd: await v("dockerd", ["--version"]),
    containerd: await v("containerd", ["--version"]),
    podman: await v("podman", ["--version"]),
    conmon: await v("conmon", ["--version"]),
    "docker CLI": await v("docker", ["--version"]),
  };
}
