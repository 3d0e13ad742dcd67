// 50 × `run -d busybox sleep 300` at once (wall time), then the memory of those 50
// containers' monitors (containerd-shim, conmon, wharf-shim) while they run.
import { pool, runCmd } from "../lib/proc.js";
import { sumMemMb } from "../lib/host.js";
import type { Scenario } from "./scenario.js";

const COUNT = 50;

export function parallelRunScenario(): Scenario {
  let floorRound = 0;
  return {
    id: "parallel-50",
    rows: [
      { id: "par-wall", title: `${COUNT} × \`run -d busybox sleep 300\` in parallel, wall`, unit: "s", target: { op: "<=", value: 2.5 } },
      { id: "par-mon", title: `memory (RSS) of ${COUNT} running containers' monitors`, unit: "MB", target: { op: "<=", value: 100 } },
    ],
    rounds: 3,
    budgetMs: 150_000,
    async measure(e, round, ctx) {
      const t0 = Date.now();
      const runs = await Promise.all(Array.from({ length: COUNT }, () => runCmd(e.cli(["run", "-d", "busybox", "sleep", "300"]), { timeoutMs: 120_000 })));
      const wall = (Date.now() - t0) / 1000;
      const failed = runs.filter((r) => r.code !== 0);
      try {
        if (failed.length) throw new Error(`${failed.length}/${COUNT} runs failed: ${failed[0].stderr.trim().slice(0, 200)}`);
        const mons = await e.monitorPids();
        const mem = await sumMemMb(mons);
        if (round === 0) ctx.note(`${e.name}: ${mons.length} monitor processes for ${COUNT} containers, RSS ${mem.rssMb.toFixed(0)} MB, PSS ${mem.pssMb.toFixed(0)} MB`);
        return { "par-wall": wall, "par-mon": mons.length ? mem.rssMb : undefined };
      } finally {
        await e.removeAllContainers();
      }
    },
    floor: {
      async measure(c) {
        const ids = Array.from({ length: COUNT }, (_, i) => `p${floorRound}-${i}`);
        floorRound++;
        const bundles = await Promise.all(ids.map((id) => c.bundle(id, ["sleep", "300"])));
        const t0 = Date.now();
        const runs = await Promise.all(ids.map((id, i) => runCmd(c.runDetached(id, bundles[i]))));
        const wall = (Date.now() - t0) / 1000;
        await pool(ids, 8, (id, i) => runCmd(c.remove(id, bundles[i])));
        const failed = runs.filter((r) => r.code !== 0);
        if (failed.length) throw new Error(`${failed.length}/${COUNT} crun runs failed: ${failed[0].stderr.trim().slice(0, 200)}`);
        return { "par-wall": wall };
      },
    },
  };
}
