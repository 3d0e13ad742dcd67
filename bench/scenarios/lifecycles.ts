// wharf's daemon RSS after 1,000 container lifecycles (create → start → wait → delete over
// the API, 4 at a time, bounded in time): growth beyond the warm-up is a leak.
import { apiRequest } from "../engines/api.js";
import { sumMemMb } from "../lib/host.js";
import type { Scenario } from "./scenario.js";

const COUNT = 1000;
const LIMIT_MS = 150_000;

async function lifecycle(socket: string): Promise<void> {
  const c = await apiRequest(socket, "POST", "/containers/create", { Image: "busybox:latest", Cmd: ["true"], HostConfig: { NetworkMode: "none" } });
  if (c.status !== 201) throw new Error(`create: ${c.status} ${c.body}`);
  const id = JSON.parse(c.body).Id as string;
  const s = await apiRequest(socket, "POST", `/containers/${id}/start`);
  if (s.status !== 204) throw new Error(`start: ${s.status} ${s.body}`);
  const w = await apiRequest(socket, "POST", `/containers/${id}/wait`);
  if (w.status !== 200) throw new Error(`wait: ${w.status} ${w.body}`);
  const d = await apiRequest(socket, "DELETE", `/containers/${id}?force=1`);
  if (d.status !== 204) throw new Error(`delete: ${d.status} ${d.body}`);
}

export function lifecyclesScenario(): Scenario {
  return {
    id: "lifecycles",
    engines: ["wharf"],
    rows: [
      { id: "life-before", title: "wharf daemon RSS before 1,000 lifecycles (after 50 warm-up)", unit: "MB" },
      { id: "life-after", title: "wharf daemon RSS after 1,000 container lifecycles", unit: "MB" },
      { id: "life-each", title: "one lifecycle over the API (create/start/wait/delete, 4 in flight), mean", unit: "ms" },
    ],
    rounds: 1,
    budgetMs: LIMIT_MS,
    async measure(e, _round, ctx) {
      const socket = ctx.wharf.socket;
      const pids = await e.daemonPids();
      for (let i = 0; i < 50; i++) await lifecycle(socket);
      const before = (await sumMemMb(pids)).rssMb;
      const t0 = Date.now();
      let done = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < COUNT && Date.now() - t0 < LIMIT_MS) {
            next++;
            await lifecycle(socket);
            done++;
          }
        }),
      );
      const secs = (Date.now() - t0) / 1000;
      const after = (await sumMemMb(pids)).rssMb;
      ctx.note(`wharf: ${done} lifecycles in ${secs.toFixed(1)} s (${(done / secs).toFixed(1)}/s); daemon RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB (${after - before >= 0 ? "+" : ""}${(after - before).toFixed(1)} MB)`);
      return { "life-before": before, "life-after": after, "life-each": (secs * 1000 * 4) / Math.max(done, 1) };
    },
  };
}
