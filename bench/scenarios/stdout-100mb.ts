// A container writing 100 MB to stdout with `run` attached, then `logs` of those 100 MB.
// Lines of 100 bytes (1 Mi lines), so json-file logs hold ~1 M entries, not escaped binary.
import { randomBytes } from "node:crypto";
import { must, runCmd } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";

const BYTES = 100 * 1024 * 1024;
const LINE = "x".repeat(99);
const SCRIPT = `yes ${LINE} | head -c ${BYTES}`;

function checkBytes(what: string, got: number): void {
  if (got < BYTES * 0.99) throw new Error(`${what} delivered ${got} bytes, expected ${BYTES}`);
}

export function stdout100mbScenario(): Scenario {
  let n = 0;
  return {
    id: "stdout-100mb",
    rows: [
      { id: "out-run", title: "container writing 100 MB to stdout, `run` attached", unit: "s", target: { op: "<=", value: 1.5 } },
      { id: "out-logs", title: "`logs` of those 100 MB to /dev/null", unit: "s", target: { op: "<=", value: 2 } },
    ],
    rounds: 3,
    budgetMs: 200_000,
    async measure(e) {
      const name = `wb-out-${randomBytes(3).toString("hex")}`;
      try {
        const run = await must(e.cli(["run", "--name", name, "busybox", "sh", "-c", SCRIPT]), { discardStdout: true, timeoutMs: 120_000 });
        checkBytes("run", run.outBytes);
        const logs = await must(e.cli(["logs", name]), { discardStdout: true, timeoutMs: 120_000 });
        checkBytes("logs", logs.outBytes);
        return { "out-run": run.ms / 1000, "out-logs": logs.ms / 1000 };
      } finally {
        await runCmd(e.cli(["rm", "-f", name]));
      }
    },
    floor: {
      async measure(c) {
        const id = `o${n++}`;
        const r = await must(c.runRm(id, await c.bundle(id, ["sh", "-c", SCRIPT])), { discardStdout: true, timeoutMs: 60_000 });
        checkBytes("crun run", r.outBytes);
        return { "out-run": r.ms / 1000 };
      },
    },
  };
}
