// `exec c true` in a running container.
import { randomBytes } from "node:crypto";
import { must, runCmd } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";

export function execScenario(): Scenario {
  const name = `wb-exec-${randomBytes(3).toString("hex")}`;
  const floorId = `${name}-crun`;
  return {
    id: "exec",
    rows: [{ id: "exec", title: "`exec c true`", unit: "ms", target: { op: "<=", value: 30 } }],
    rounds: 10,
    budgetMs: 40_000,
    async prepare(e) {
      await must(e.cli(["run", "-d", "--name", name, "busybox", "sleep", "300"]));
      await must(e.cli(["exec", name, "true"])); // warm-up and support probe
    },
    async measure(e) {
      return { exec: (await must(e.cli(["exec", name, "true"]))).ms };
    },
    async cleanup(e) {
      await runCmd(e.cli(["rm", "-f", name]));
    },
    floor: {
      async prepare(c) {
        await must(c.runDetached(floorId, await c.bundle(floorId, ["sleep", "300"])));
      },
      async measure(c) {
        return { exec: (await must(c.exec(floorId, ["true"]))).ms };
      },
      async cleanup(c) {
        await runCmd(c.remove(floorId, `${c.dir}/b/${floorId}`));
      },
    },
  };
}
