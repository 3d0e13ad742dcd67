import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { run, type RunResult, type TestDaemon } from "./daemon.js";

/**
 * Crash consistency by fault injection (issue 17): SIGKILL the daemon at a
 * seeded random moment during one operation (create, run, rm, commit, build
 * mid-RUN, push, pull mid-blob, volume create/rm, network create/connect,
 * cp), restart it, then check that every listed container, image, volume and
 * network can be inspected, that the operation can be retried, and at the
 * end that removing everything and a restart (the start-up GC) leave nothing
 * on disk but the seed image. The seed fixes the sequence of operations and
 * kill delays; the machine's timing decides where exactly each kill lands.
 * Short version: test/e2e/daemon/crash-campaign.test.ts; long: `npm run torture`.
 */
export interface CampaignOptions {
  daemon: TestDaemon;
  /** host:port of a registry on loopback (push and pull). */
  registry: string;
  kills: number;
  seed: number;
  log?: (line: string) => void;
}

export interface CampaignResult {
  seed: number;
  kills: number;
  byOp: Record<string, number>;
  /** Kills that landed before the operation finished (the CLI did not succeed). */
  interrupted: number;
  inconsistencies: string[];
}

/** mulberry32: a small seeded PRNG, so a failing campaign can be replayed with its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Op {
  name: string;
  /** Longest delay before the kill, in ms (the operation's usual length). */
  window: number;
  /** Set up what the operation needs (the daemon is up). */
  prepare?: (k: string) => Promise<void>;
  /** The operation's docker CLI arguments. */
  args: (k: string) => string[];
  /** Before a retry: remove what a completed first attempt made (absence is fine). */
  undo?: (k: string) => Promise<void>;
  /** A retry's failure that still means a consistent state (e.g. "already gone"). */
  retryOk?: RegExp;
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const d = o.daemon;
  const rnd = prng(o.seed);
  const say = o.log ?? (() => undefined);
  const docker = (args: string[], timeoutMs = 120_000) => run("docker", args, { env: { ...d.env, DOCKER_BUILDKIT: "0" }, timeoutMs });
  const must = async (args: string[]) => {
    const r = await docker(args);
    if (r.code !== 0) throw new Error(`docker ${args.join(" ")}: ${r.stderr}${r.stdout}`);
    return r.stdout.trim();
  };
  const quiet = async (args: string[]) => void (await docker(args));
  const work = path.join(d.base, "campaign");
  await fs.mkdir(work, { recursive: true });
  const ctx = path.join(work, "ctx");
  await fs.mkdir(ctx, { recursive: true });
  await fs.writeFile(path.join(ctx, "Dockerfile"), "FROM busybox\nRUN sleep 0.5 && head -c 200000 /dev/urandom > /rand\n");
  const payload = path.join(work, "payload");
  await fs.writeFile(payload, Buffer.alloc(4_000_000, 7));
  const repo = (k: string) => `${o.registry}/torture/${k}:1`;
  /** A stopped container with 2 MB of its own, to commit, copy into or remove. */
  const stopped = async (k: string) => {
    await must(["run", "--name", `${k}-p`, "--network", "none", "busybox", "sh", "-c", "head -c 2000000 /dev/urandom > /data"]);
  };

  const ops: Op[] = [
    { name: "create", window: 400, args: (k) => ["create", "--name", k, "--network", "none", "busybox", "true"], undo: (k) => quiet(["rm", "-f", k]) },
    { name: "run", window: 800, args: (k) => ["run", "-d", "--name", k, "busybox", "sleep", "600"], undo: (k) => quiet(["rm", "-f", k]) },
    { name: "rm", window: 400, prepare: stopped, args: (k) => ["rm", "-f", `${k}-p`], retryOk: /No such container/ },
    { name: "commit", window: 600, prepare: stopped, args: (k) => ["commit", `${k}-p`, `torture/${k}:1`] },
    { name: "build", window: 2500, args: (k) => ["build", "-q", "-t", `torture/${k}:b`, ctx] },
    {
      name: "push", window: 800,
      prepare: async (k) => (await stopped(k), await must(["commit", `${k}-p`, repo(k)]), undefined),
      args: (k) => ["push", repo(k)],
    },
    {
      name: "pull", window: 800,
      prepare: async (k) => {
        await stopped(k);
        await must(["commit", `${k}-p`, repo(k)]);
        await must(["push", repo(k)]);
        await must(["rmi", repo(k)]);
      },
      args: (k) => ["pull", repo(k)],
    },
    { name: "volume-create", window: 200, args: (k) => ["volume", "create", k], undo: (k) => quiet(["volume", "rm", "-f", k]) },
    { name: "volume-rm", window: 200, prepare: async (k) => void (await must(["volume", "create", k])), args: (k) => ["volume", "rm", k], retryOk: /no such volume/i },
    { name: "network-create", window: 500, args: (k) => ["network", "create", k], undo: (k) => quiet(["network", "rm", k]) },
    {
      name: "network-connect", window: 600,
      prepare: async (k) => {
        await must(["network", "create", `${k}-n`]);
        await must(["run", "-d", "--name", `${k}-p`, "busybox", "sleep", "600"]);
      },
      args: (k) => ["network", "connect", `${k}-n`, `${k}-p`],
      retryOk: /already exists in network|is already attached/,
    },
    { name: "cp", window: 500, prepare: stopped, args: (k) => ["cp", payload, `${k}-p:/payload`] },
  ];

  const result: CampaignResult = { seed: o.seed, kills: 0, byOp: {}, interrupted: 0, inconsistencies: [] };
  const problem = (what: string) => {
    result.inconsistencies.push(what);
    say(`INCONSISTENT ${what}`);
  };
  const { blobs: blobsBefore, layers: layersBefore } = await diskState(d);

  for (let i = 0; i < o.kills; i++) {
    const op = ops[Math.floor(rnd() * ops.length)]!;
    const delay = Math.floor(rnd() * op.window);
    const k = `t${o.seed.toString(36)}-${i}`;
    await op.prepare?.(k);
    const started = docker(op.args(k));
    await new Promise((r) => setTimeout(r, delay));
    await d.kill9();
    const first: RunResult = await started;
    if (first.code !== 0) result.interrupted++;
    result.kills++;
    result.byOp[op.name] = (result.byOp[op.name] ?? 0) + 1;
    await d.start();
    say(`kill ${i + 1}/${o.kills}: ${op.name} after ${delay} ms (${first.code === 0 ? "had finished" : "interrupted"})`);
    for (const p of await consistencyProblems(docker)) problem(`after ${op.name} #${i} (seed ${o.seed}): ${p}`);
    await op.undo?.(k);
    const again = await docker(op.args(k));
    if (again.code !== 0 && !(op.retryOk && op.retryOk.test(again.stderr + again.stdout))) {
      problem(`retry of ${op.name} #${i} (seed ${o.seed}) failed: ${(again.stderr + again.stdout).trim().slice(0, 300)}`);
    }
    // Containers do not pile up: each iteration's are removed (their images, volumes and networks stay until the end).
    for (const c of [k, `${k}-p`]) await quiet(["rm", "-f", c]);
  }

  // Everything removed, then a restart (its GC pass): only the seed image's blobs and layers remain.
  for (const id of (await must(["ps", "-aq"])).split("\n").filter(Boolean)) await quiet(["rm", "-f", id]);
  for (const ref of (await must(["images", "--format", "{{.Repository}}:{{.Tag}}"])).split("\n").filter((r) => r && !r.startsWith("busybox:"))) await quiet(["rmi", "-f", ref]);
  await quiet(["image", "prune", "-f"]);
  await quiet(["volume", "prune", "-a", "-f"]);
  await quiet(["network", "prune", "-f"]);
  await d.kill9();
  await d.start();
  for (const p of await consistencyProblems(docker)) problem(`at the end: ${p}`);
  for (const p of await leftovers(d, blobsBefore, layersBefore)) problem(`after the GC pass (seed ${o.seed}): ${p}`);
  return result;
}

/** Every listed object can be inspected; nothing half-made shows up. */
async function consistencyProblems(docker: (args: string[]) => Promise<RunResult>): Promise<string[]> {
  const out: string[] = [];
  const list = async (args: string[]) => {
    const r = await docker(args);
    if (r.code !== 0) out.push(`docker ${args.join(" ")} failed: ${r.stderr.trim()}`);
    return r.stdout.split("\n").map((l) => l.trim()).filter(Boolean);
  };
  const inspectAll = async (kind: string, ids: string[]) => {
    if (!ids.length) return;
    const r = await docker([kind, "inspect", ...ids]);
    if (r.code !== 0) out.push(`${kind} inspect of a listed ${kind} failed: ${r.stderr.trim().slice(0, 300)}`);
  };
  await inspectAll("container", await list(["ps", "-aq", "--no-trunc"]));
  await inspectAll("image", await list(["images", "-aq", "--no-trunc"]));
  await inspectAll("volume", await list(["volume", "ls", "-q"]));
  await inspectAll("network", await list(["network", "ls", "-q", "--no-trunc"]));
  // A container in the list whose state is neither a lifecycle state nor recoverable would be half-made.
  for (const line of await list(["ps", "-a", "--format", "{{.Names}} {{.State}}"])) {
    const state = line.split(" ")[1];
    if (!["created", "running", "exited", "paused", "restarting"].includes(state ?? "")) out.push(`container in state ${line}`);
  }
  return out;
}

/** What the data-root holds besides the seed image once everything is removed. */
async function leftovers(d: TestDaemon, blobsBefore: string[], layersBefore: string[]): Promise<string[]> {
  const out: string[] = [];
  const { blobs, layers } = await diskState(d);
  const extra = (now: string[], before: string[]) => now.filter((x) => !before.includes(x));
  if (extra(blobs, blobsBefore).length) out.push(`content blobs left: ${extra(blobs, blobsBefore).join(" ")}`);
  if (extra(layers, layersBefore).length) out.push(`layers/snapshots left: ${extra(layers, layersBefore).join(" ")}`);
  const dirs = async (p: string) => (await fs.readdir(path.join(d.dataRoot, p)).catch(() => [] as string[])).filter((n) => !n.startsWith("."));
  if ((await dirs("content/ingest")).length) out.push(`ingest files left: ${(await dirs("content/ingest")).join(" ")}`);
  if ((await dirs("containers")).length) out.push(`container dirs left: ${(await dirs("containers")).join(" ")}`);
  const vols = (await dirs("volumes")).filter((n) => !n.endsWith(".db") && !n.endsWith(".json"));
  if (vols.length) out.push(`volume dirs left: ${vols.join(" ")}`);
  const mounts = (await fs.readFile("/proc/self/mountinfo", "utf8")).split("\n").map((l) => l.split(" ")[4]).filter((m) => m && m.startsWith(d.dataRoot + "/"));
  if (mounts.length) out.push(`mounts left: ${mounts.join(" ")}`);
  return out;
}

async function diskState(d: TestDaemon): Promise<{ blobs: string[]; layers: string[] }> {
  const ls = async (p: string) => (await fs.readdir(path.join(d.dataRoot, p)).catch(() => [] as string[])).sort();
  return { blobs: await ls("content/blobs/sha256"), layers: await ls("storage/overlay") };
}

export function assertConsistent(r: CampaignResult): void {
  assert.deepEqual(r.inconsistencies, [], `seed ${r.seed}: replay with WHARF_TORTURE_SEED=${r.seed}`);
}
