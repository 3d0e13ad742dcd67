// `stats --no-stream c`: one sample of a running container's resource usage, CLI included.
import { randomBytes } from "node:crypto";
import { must, runCmd } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";

export function statsScenario(): Scenario {
  const name = `wb-stats-${randomBytes(3).toString("hex")}`;
  return {
    id: "stats",
    rows: [{ id: "stats", title: "`stats --no-stream c` (one running container)", unit: "ms" }],
    rounds: 8,
    budgetMs: 40_000,
    async prepare(e) {
      await must(e.cli(["run", "-d", "--name", name, "busybox", "sleep", "300"]));
      await must(e.cli(["stats", "--no-stream", name])); // warm-up and support probe
    },
    async measure(e) {
      return { stats: (await must(e.cli(["stats", "--no-stream", name]))).ms };
    },
    async cleanup(e) {
      await runCmd(e.cli(["rm", "-f", name]));
    },
  };
}
