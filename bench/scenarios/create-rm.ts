// `create`, then `rm` of an exited container: the API + metadata cost without the runtime's run.
import { must, runCmd, waitFor } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";

export function createRmScenario(): Scenario {
  let n = 0;
  return {
    id: "create-rm",
    rows: [
      { id: "create", title: "`create busybox true`", unit: "ms", target: { op: "<=", value: 20 } },
      { id: "rm", title: "`rm` of an exited container", unit: "ms", target: { op: "<=", value: 20 } },
    ],
    rounds: 10,
    budgetMs: 60_000,
    async measure(e) {
      const created = await must(e.cli(["create", "busybox", "true"]));
      const id = created.stdout.trim().split("\n").pop()!;
      await must(e.cli(["start", id]));
      await must(e.cli(["wait", id]));
      const rm = await must(e.cli(["rm", id]));
      return { create: created.ms, rm: rm.ms };
    },
    floor: {
      async measure(c) {
        const id = `cr${n++}`;
        const b = await c.bundle(id, ["true"]);
        const created = await must(c.create(id, b));
        await must({ cmd: "crun", args: ["--root", c.stateRoot, "start", id] });
        await waitFor("crun container to stop", async () => (await runCmd({ cmd: "crun", args: ["--root", c.stateRoot, "state", id] })).stdout.includes('"stopped"'), 10_000, 5);
        const rm = await must(c.remove(id, b));
        return { create: created.ms, rm: rm.ms };
      },
    },
  };
}
