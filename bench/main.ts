// `npm run bench`: wharf against dockerd 20.10, Podman 4.3 and raw crun on this machine,
// scenario by scenario, interleaved, bounded; prints one markdown table and writes it with
// the machine's facts to bench/results/<date>.md. Never part of CI.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Engine } from "./engines/engine.js";
import { DockerdEngine } from "./engines/dockerd.js";
import { PodmanEngine } from "./engines/podman.js";
import { WharfEngine } from "./engines/wharf.js";
import { CrunFloor } from "./engines/crun-floor.js";
import { BASE, BUSYBOX_TAR, REPO } from "./engines/paths.js";
import { removeDirs } from "./engines/cleanup.js";
import { ensureTools } from "./lib/install.js";
import { machineFacts } from "./lib/host.js";
import { runScenario, type RowResult } from "./runner.js";
import { allScenarios } from "./scenarios/index.js";
import { renderTable } from "./report/table.js";
import { renderReport, writeReport } from "./report/write.js";
import type { BenchContext } from "./scenarios/scenario.js";

const HARD_LIMIT_MS = 15 * 60_000;
const SCENARIO_DEADLINE_MS = 12.5 * 60_000;

interface Options {
  only?: string[];
  maxRounds?: number;
  cpuProf: boolean;
  install: boolean;
  write: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { cpuProf: false, install: true, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--only") o.only = argv[++i].split(",");
    else if (a === "--rounds") o.maxRounds = Number(argv[++i]);
    else if (a === "--cpu-prof") o.cpuProf = true;
    else if (a === "--no-install") o.install = false;
    else if (a === "--no-write") o.write = false;
    else throw new Error(`bench: unknown argument ${a} (known: --only id,id --rounds N --cpu-prof --no-install --no-write)`);
  }
  return o;
}

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

async function main(): Promise<number> {
  const t0 = Date.now();
  const opts = parseArgs(process.argv.slice(2));
  if (process.env.CI) return log("refusing to run under CI (CI is set): benchmarks need a quiet machine"), 2;
  if (process.getuid?.() !== 0) return log("run as root (engines manage namespaces, mounts and cgroups)"), 2;
  if (!existsSync(BUSYBOX_TAR)) return log(`${BUSYBOX_TAR} is missing: run scripts/setup.sh first`), 2;
  if (opts.install) await ensureTools(log);

  const profDir = path.join(REPO, "bench", "results", "prof");
  const wharf = new WharfEngine(opts.cpuProf ? ["--cpu-prof", "--cpu-prof-dir", profDir] : []);
  const engines: Engine[] = [new DockerdEngine(), new PodmanEngine(), wharf];
  const crun = new CrunFloor();
  const notes: string[] = [
    "dockerd and wharf are driven by the docker CLI 28 (`DOCKER_HOST`), Podman by its own CLI; every engine has private roots, socket and bridge.",
    "dockerd runs with `--iptables=false` (published ports go through docker-proxy); Podman uses netavark on its own bridge and subnet.",
    "raw crun: `crun run` of an OCI bundle from `crun spec` over a fresh overlay of the same busybox layer (mount + run + unmount timed); its network namespace has loopback only.",
  ];
  const ctx: BenchContext = { wharf, crun, log, note: (t) => notes.push(t) };

  let stopping = false;
  const teardown = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping engines and cleaning up");
    for (const e of engines) await e.stop().catch((err) => log(`stop ${e.name}: ${String(err)}`));
    await crun.cleanup().catch(() => undefined);
    await removeDirs([BASE]);
  };
  const hard = setTimeout(() => {
    log("hard time limit reached: aborting");
    void teardown().finally(() => process.exit(3));
  }, HARD_LIMIT_MS);
  hard.unref();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => void teardown().finally(() => process.exit(130)));

  const results: RowResult[] = [];
  try {
    const facts = await machineFacts();
    log("starting dockerd, Podman and wharf on private roots");
    for (const e of engines) {
      await e.start();
      await e.loadBusybox(BUSYBOX_TAR);
    }
    await crun.setup(BUSYBOX_TAR);
    const deadline = t0 + SCENARIO_DEADLINE_MS;
    for (const s of allScenarios()) {
      if (opts.only && !opts.only.includes(s.id)) continue;
      if (opts.maxRounds) s.rounds = Math.min(s.rounds, opts.maxRounds);
      log(`scenario ${s.id} (${Math.round((Date.now() - t0) / 1000)} s elapsed)`);
      results.push(...(await runScenario(s, engines, ctx, deadline)));
      const died = await wharf.reviveIfDead();
      if (died) {
        log(`wharf daemon died during ${s.id}: ${died}`);
        notes.push(`**wharf's daemon died during \`${s.id}\`** (restarted for the next scenarios): ${died}`);
      }
      for (const e of engines) await e.removeAllContainers().catch(() => undefined);
    }
    const { markdown, missed } = renderTable(results);
    const command = ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
    await teardown();
    const report = { table: markdown, facts, notes, missed: missed.map((r) => r.title), command, elapsedS: (Date.now() - t0) / 1000 };
    process.stdout.write(`${markdown}\n`);
    if (opts.write) log(`wrote ${await writeReport(path.join(REPO, "bench", "results"), report)}`);
    else process.stdout.write(`\n${renderReport(report)}`);
    return 0;
  } finally {
    await teardown();
    clearTimeout(hard);
  }
}

process.exitCode = await main().catch((err) => {
  log(`failed: ${err instanceof Error ? err.stack : String(err)}`);
  return 1;
});
