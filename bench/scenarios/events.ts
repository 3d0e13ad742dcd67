// Events throughput: `events` is subscribed, 100 containers are removed in one `rm` command,
// and the time until all 100 `destroy` events reached the subscriber gives events/s.
// (Generation — the engine's rm — is part of it: this is delivery under real load.)
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { must, pool, runCmd } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";
import type { Engine } from "../engines/engine.js";

const N = 100;

interface Subscriber {
  /** Container ids whose destroy event arrived. */
  seen: Set<string>;
  /** Resolves once every id in `want` has been seen; rejects when the CLI exits or after timeoutMs. */
  all(want: string[], timeoutMs: number): Promise<void>;
  stop(): void;
}

function subscribe(e: Engine, label: string): Subscriber {
  // Podman names the event `remove` and has no Actor in its template data.
  const [event, format] = e.name === "podman" ? ["remove", "{{.ID}}"] : ["destroy", "{{.Actor.ID}}"];
  const c = e.cli(["events", "--filter", "type=container", "--filter", `event=${event}`, "--filter", `label=${label}`, "--format", format]);
  const child = spawn(c.cmd, c.args, { env: { ...process.env, ...c.env }, stdio: ["ignore", "pipe", "pipe"] });
  const seen = new Set<string>();
  let err = "";
  let exited = false;
  let rest = "";
  const waiters: (() => void)[] = [];
  child.stderr.on("data", (d) => (err += d));
  child.stdout.on("data", (d: Buffer) => {
    const lines = (rest + d.toString()).split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) if (l) seen.add(l.trim());
    for (const w of waiters) w();
  });
  child.on("close", () => ((exited = true), waiters.forEach((w) => w())));
  return {
    seen,
    all: (want, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${want.filter((x) => seen.has(x)).length}/${want.length} events within ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (want.every((x) => seen.has(x))) return clearTimeout(timer), resolve();
          if (exited) clearTimeout(timer), reject(new Error(`events exited: ${err.trim().slice(0, 200)}`));
        };
        waiters.push(check);
        check();
      }),
    stop: () => child.kill("SIGKILL"),
  };
}

export function eventsScenario(): Scenario {
  return {
    id: "events",
    rows: [{ id: "events", title: `events throughput: ${N} \`destroy\` events (one \`rm\` of ${N} containers) through \`events\``, unit: "ev/s" }],
    rounds: 3,
    budgetMs: 90_000,
    async measure(e) {
      const label = `wbev=${randomBytes(3).toString("hex")}`;
      const create = async () => (await must(e.cli(["create", "--label", label, "busybox", "true"]))).stdout.trim().split("\n").pop()!;
      const ids = await pool(Array.from({ length: N }, (_, i) => i), 4, create);
      const sub = subscribe(e, label);
      try {
        // A probe container's destroy event proves the subscription is live before the clock starts.
        for (let i = 0; ; i++) {
          const probe = await create();
          await must(e.cli(["rm", probe]));
          const live = await sub.all([probe], 2_000).then(() => true, () => false);
          if (live) break;
          if (i >= 5) throw new Error("the events subscription never delivered a probe event");
        }
        const t0 = process.hrtime.bigint();
        const rm = runCmd(e.cli(["rm", ...ids]), { timeoutMs: 60_000 });
        await sub.all(ids, 60_000);
        const secs = Number(process.hrtime.bigint() - t0) / 1e9;
        await rm;
        return { events: N / secs };
      } finally {
        sub.stop();
        await runCmd(e.cli(["rm", "-f", ...ids]), { timeoutMs: 60_000 });
      }
    },
  };
}
