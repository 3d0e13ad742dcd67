// Logging throughput per driver (the same container on every engine: 200,000 short lines as fast
// as busybox writes them; lines/s until the container has exited), and the time to scrape wharf's
// /metrics with 50 running containers (dockerd 20.10 serves metrics only with --experimental).
import { randomBytes } from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import { must, runCmd } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";

const LINES = 200_000;

/** Loopback receivers that only count what arrives (udp for syslog, tcp for fluentd). */
async function sinks() {
  const udp = dgram.createSocket("udp4");
  udp.on("message", () => undefined);
  await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
  const tcp = net.createServer((s) => s.on("data", () => undefined));
  await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
  return { udpPort: udp.address().port, tcpPort: (tcp.address() as net.AddressInfo).port, close: () => (udp.close(), tcp.close()) };
}

export function loggingScenario(): Scenario {
  let s: Awaited<ReturnType<typeof sinks>> | undefined;
  const drivers = (): Record<string, string[]> => ({
    "log-json": ["--log-driver", "json-file"],
    "log-local": ["--log-driver", "local"],
    "log-syslog": ["--log-driver", "syslog", "--log-opt", `syslog-address=udp://127.0.0.1:${s!.udpPort}`],
    "log-fluentd": ["--log-driver", "fluentd", "--log-opt", `fluentd-address=127.0.0.1:${s!.tcpPort}`],
  });
  return {
    id: "logging",
    rows: [
      { id: "log-json", title: "logging throughput, json-file: 200,000 lines, until the container exits", unit: "lines/s" },
      { id: "log-local", title: "logging throughput, local", unit: "lines/s" },
      { id: "log-syslog", title: "logging throughput, syslog (udp to a loopback receiver)", unit: "lines/s" },
      { id: "log-fluentd", title: "logging throughput, fluentd (tcp to a loopback receiver)", unit: "lines/s" },
    ],
    rounds: 3,
    budgetMs: 240_000,
    engines: ["dockerd", "wharf"],
    async prepare() {
      s ??= await sinks();
    },
    async measure(e) {
      const out: Record<string, number> = {};
      for (const [row, flags] of Object.entries(drivers())) {
        const name = `wb-log-${randomBytes(3).toString("hex")}`;
        try {
          const t0 = Date.now();
          await must(e.cli(["run", "-d", "--name", name, ...flags, "busybox", "seq", "1", String(LINES)]));
          await must(e.cli(["wait", name]), { timeoutMs: 120_000 });
          out[row] = LINES / ((Date.now() - t0) / 1000);
        } finally {
          await runCmd(e.cli(["rm", "-f", name]));
        }
      }
      return out;
    },
    async cleanup() {
      s?.close();
      s = undefined;
    },
  };
}

export function metricsScrapeScenario(): Scenario {
  const names: string[] = [];
  return {
    id: "metrics-scrape",
    rows: [{ id: "scrape-50", title: "`GET /metrics` with 50 running containers (wharf's --metrics-addr)", unit: "ms" }],
    rounds: 10,
    budgetMs: 180_000,
    engines: ["wharf"],
    async prepare(e) {
      for (let i = 0; i < 50; i++) {
        const name = `wb-scrape-${randomBytes(3).toString("hex")}`;
        await must(e.cli(["run", "-d", "--name", name, "busybox", "sleep", "600"]));
        names.push(name);
      }
    },
    async measure(_e, _round, ctx) {
      const t0 = performance.now();
      const r = await fetch(`http://${ctx.wharf.metricsAddr}/metrics`);
      const text = await r.text();
      const ms = performance.now() - t0;
      if ((text.match(/^container_memory_usage_bytes\{/gm) ?? []).length < 50) throw new Error("fewer than 50 containers in /metrics");
      return { "scrape-50": ms };
    },
    async cleanup(e) {
      for (let i = 0; i < names.length; i += 25) await runCmd(e.cli(["rm", "-f", ...names.slice(i, i + 25)]), { timeoutMs: 120_000 });
      names.length = 0;
    },
  };
}
