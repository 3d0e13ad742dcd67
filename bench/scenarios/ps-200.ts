// `ps -a` with 200 (created) containers.
import { randomBytes } from "node:crypto";
import { must, pool, runCmd } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";

const COUNT = 200;

export function ps200Scenario(): Scenario {
  const floorIds = Array.from({ length: COUNT }, (_, i) => `ps${i}`);
  return {
    id: "ps-200",
    rows: [{ id: "ps", title: `\`ps -a\` with ${COUNT} containers (raw crun: \`crun list\`)`, unit: "ms", target: { op: "<=", value: 30 } }],
    rounds: 10,
    budgetMs: 60_000,
    async prepare(e) {
      // Named, not random: 200 generated names on an engine with few adjectives/surnames can collide.
      const run = randomBytes(3).toString("hex");
      await pool(Array.from({ length: COUNT }, (_, i) => `wbps-${run}-${i}`), 4, (name) => must(e.cli(["create", "--name", name, "busybox", "true"]), { timeoutMs: 60_000 }));
    },
    async measure(e) {
      const r = await must(e.cli(["ps", "-a"]));
      const lines = r.stdout.trim().split("\n").length - 1;
      if (lines < COUNT) throw new Error(`ps -a listed ${lines} containers, expected ${COUNT}`);
      return { ps: r.ms };
    },
    async cleanup(e) {
      await e.removeAllContainers();
    },
    floor: {
      async prepare(c) {
        // created (not started) containers over one shared read-only rootfs: only the state dir matters for `list`
        await pool(floorIds, 4, async (id) => must(c.create(id, await c.bundle(id, ["true"], { sharedReadonlyRoot: true }), false)));
      },
      async measure(c) {
        return { ps: (await must(c.list())).ms };
      },
      async cleanup(c) {
        await pool(floorIds, 8, (id) => runCmd(c.remove(id, `${c.dir}/b/${id}`)));
      },
    },
  };
}
