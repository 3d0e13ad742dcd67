// Restart-policy reaction: a `--restart always` container's process is SIGKILLed from the host;
// time until the engine reports it running again with a new pid. A fresh container each round,
// so Docker's restart back-off (which doubles for containers that ran < 10 s) starts at its floor.
import { randomBytes } from "node:crypto";
import { must, runCmd, waitFor } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";
import type { Engine } from "../engines/engine.js";

async function state(e: Engine, name: string): Promise<{ pid: number; running: boolean; restarts: number }> {
  const out = (await must(e.cli(["inspect", "-f", "{{.State.Pid}} {{.State.Running}} {{.RestartCount}}", name]))).stdout.trim().split(" ");
  return { pid: Number(out[0]), running: out[1] === "true", restarts: Number(out[2]) };
}

export function restartPolicyScenario(): Scenario {
  return {
    id: "restart",
    rows: [{ id: "restart", title: "`--restart always` container killed → running again (polled with `inspect`)", unit: "ms" }],
    rounds: 5,
    budgetMs: 60_000,
    async measure(e) {
      const name = `wb-rs-${randomBytes(3).toString("hex")}`;
      try {
        await must(e.cli(["run", "-d", "--restart", "always", "--name", name, "busybox", "sleep", "300"]));
        const before = await waitFor("container running", async () => {
          const s = await state(e, name);
          return s.running && s.pid > 0 ? s : undefined;
        }, 20_000, 20);
        const t0 = process.hrtime.bigint();
        process.kill(before.pid, "SIGKILL");
        await waitFor(`${e.name} to restart the container`, async () => {
          const s = await state(e, name);
          return s.running && s.pid > 0 && s.pid !== before.pid;
        }, 30_000, 5);
        return { restart: Number(process.hrtime.bigint() - t0) / 1e6 };
      } finally {
        await runCmd(e.cli(["rm", "-f", name]));
      }
    },
  };
}
