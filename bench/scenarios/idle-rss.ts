// The daemon's resident memory at idle (image loaded, no containers):
// dockerd + its containerd; wharf's one Node process; Podman has no daemon (0).
import { sumMemMb } from "../lib/host.js";
import type { Scenario } from "./scenario.js";

export function idleRssScenario(): Scenario {
  return {
    id: "idle-rss",
    rows: [{ id: "idle", title: "daemon idle RSS (dockerd + containerd; Podman has no daemon)", unit: "MB", target: { op: "<=", value: 50 } }],
    rounds: 5,
    budgetMs: 20_000,
    async measure(e) {
      const pids = await e.daemonPids();
      return { idle: (await sumMemMb(pids)).rssMb };
    },
  };
}
