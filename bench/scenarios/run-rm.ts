// `run --rm busybox true`: the whole container lifecycle as a user sees it, CLI included.
import { must } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";

export function runRmScenario(network: "default" | "none"): Scenario {
  const net = network === "none" ? ["--network", "none"] : [];
  const id = network === "none" ? "run-rm-none" : "run-rm";
  let n = 0;
  return {
    id,
    rows: [
      network === "none"
        ? { id, title: "`run --rm --network none busybox true`", unit: "ms", target: { op: "<=", value: 60 } }
        : { id, title: "`run --rm busybox true` (docker CLI 28 for dockerd and wharf)", unit: "ms", target: { op: "<=", value: 100 } },
    ],
    rounds: 10,
    budgetMs: 60_000,
    async prepare(e) {
      await must(e.cli(["run", "--rm", ...net, "busybox", "true"])); // warm-up and support probe
    },
    async measure(e) {
      const r = await must(e.cli(["run", "--rm", ...net, "busybox", "true"]));
      return { [id]: r.ms };
    },
    floor:
      network === "default"
        ? {
            async measure(c) {
              const cid = `rr${n++}`;
              const b = await c.bundle(cid, ["true"]);
              return { [id]: (await must(c.runRm(cid, b))).ms };
            },
          }
        : undefined,
  };
}
