// wharf's own CLI end to end (Node start-up included), next to the docker CLI against wharf.
import { must } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";

export function wharfCliScenario(): Scenario {
  return {
    id: "cli",
    rows: [
      { id: "cli-version", title: "`version` round trip (docker CLI; podman CLI)", unit: "ms" },
      { id: "cli-own-version", title: "wharf's own CLI: `version` (Node start-up included)", unit: "ms" },
      { id: "cli-own-run", title: "wharf's own CLI: `run --rm busybox true`", unit: "ms", target: { op: "<=", value: 100 } },
      { id: "cli-own-ps", title: "wharf's own CLI: `ps -a` (empty)", unit: "ms" },
    ],
    rounds: 8,
    budgetMs: 40_000,
    async prepare(e, ctx) {
      if (e.name === "wharf") await must(ctx.wharf.ownCli(["run", "--rm", "busybox", "true"])); // warm-up
    },
    async measure(e, _round, ctx) {
      const version = (await must(e.cli(["version"]))).ms;
      if (e.name !== "wharf") return { "cli-version": version };
      const w = ctx.wharf;
      return {
        "cli-version": version,
        "cli-own-version": (await must(w.ownCli(["version"]))).ms,
        "cli-own-run": (await must(w.ownCli(["run", "--rm", "busybox", "true"]))).ms,
        "cli-own-ps": (await must(w.ownCli(["ps", "-a"]))).ms,
      };
    },
  };
}
