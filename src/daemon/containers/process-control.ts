import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { InvalidArgumentError, WharfError } from "../../lib/errors.js";
import type { ContainerDeps } from "./deps.js";
import type { ContainerRecord } from "./types.js";

const run = promisify(execFile);

function runtimeOf(deps: ContainerDeps, c: ContainerRecord) {
  const r = deps.runtimes[c.runtime] ?? deps.runtimes[deps.defaultRuntime];
  return { path: r.path, root: path.join(deps.execRoot, "runtime-" + r.name) };
}

/** Freeze or thaw the container's cgroup through the runtime (freezer on v1, cgroup.freeze on v2). */
export async function setFrozen(deps: ContainerDeps, c: ContainerRecord, frozen: boolean): Promise<void> {
  const r = runtimeOf(deps, c);
  try {
    await run(r.path, ["--root", r.root, frozen ? "pause" : "resume", c.id]);
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new WharfError(`cannot ${frozen ? "pause" : "unpause"} container ${c.id}: ${(e.stderr || e.message).trim()}`);
  }
}

/** PIDs (host namespace) of every process in the container's cgroup. */
export async function containerPids(deps: ContainerDeps, c: ContainerRecord): Promise<Set<number>> {
  const rel = `${deps.cgroupParent.replace(/\/$/, "")}/${c.id}`;
  const candidates = [`/sys/fs/cgroup${rel}/cgroup.procs`, `/sys/fs/cgroup/pids${rel}/cgroup.procs`, `/sys/fs/cgroup/memory${rel}/cgroup.procs`, `/sys/fs/cgroup/freezer${rel}/cgroup.procs`];
  for (const f of candidates) {
    const text = await fs.readFile(f, "utf8").catch(() => undefined);
    if (text !== undefined) return new Set(text.split("\n").filter(Boolean).map(Number));
  }
  return new Set(c.state.pid ? [c.state.pid] : []);
}

/**
 * `docker top`: run ps on the host with the user's arguments and keep the
 * rows whose PID belongs to the container, as dockerd does.
 */
export async function topProcesses(pids: Set<number>, psArgs: string): Promise<{ Titles: string[]; Processes: string[][] }> {
  const args = (psArgs || "-ef").split(/\s+/).filter(Boolean);
  let stdout: string;
  try {
    ({ stdout } = await run("ps", args, { maxBuffer: 16 * 1024 * 1024 }));
  } catch (err) {
    throw new InvalidArgumentError(`Error running ps: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`);
  }
  const lines = stdout.split("\n").filter((l) => l.trim() !== "");
  const header = lines.shift() ?? "";
  const titles = header.trim().split(/\s+/);
  const pidCol = titles.indexOf("PID");
  if (pidCol < 0) throw new InvalidArgumentError(`Couldn't find PID field in ps output`);
  const processes: string[][] = [];
  for (const line of lines) {
    const fields = line.trim().split(/\s+/);
    if (!pids.has(Number(fields[pidCol]))) continue;
    // The last column (the command) may contain spaces: keep it whole.
    const row = fields.slice(0, titles.length - 1);
    row.push(fields.slice(titles.length - 1).join(" "));
    processes.push(row);
  }
  return { Titles: titles, Processes: processes };
}
