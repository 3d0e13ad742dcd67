// Connects the metrics (src/metrics) to the daemon's services: what a scrape
// reads, and timing of container and network actions.
import os from "node:os";
import { log } from "../lib/log.js";
import { EngineMetrics, type ContainerUsage } from "../metrics/engine-metrics.js";
import { isLoopback, serveMetrics, type MetricsListener } from "../metrics/metrics-server.js";
import { detectHostInfo } from "../runtime/host-info.js";
import type { DaemonConfig } from "./config.js";
import type { ContainerService } from "./containers/container-service.js";
import type { ContainerStore } from "./containers/container-store.js";
import type { ContainerExtension } from "./containers/extensions.js";
import type { EventBus } from "./events/event-bus.js";
import type { ContainerLogging } from "./logs/container-logging.js";
import { sampleCgroup } from "./stats/cgroup-stats.js";

interface Deps {
  config: DaemonConfig;
  store: ContainerStore;
  containers: ContainerService;
  networking: object;
  events: EventBus;
  logging: ContainerLogging;
  extensions: ContainerExtension[];
  engineId: string;
  version: string;
}

/** Wrap `methods` of `target` so each call's duration is reported (the object keeps its identity). */
function timeMethods(target: object, methods: Record<string, string>, observe: (action: string, s: number) => void): void {
  const t = target as Record<string, unknown>;
  for (const [method, action] of Object.entries(methods)) {
    const fn = t[method];
    if (typeof fn !== "function") continue;
    t[method] = async function (this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      } finally {
        observe(action, (performance.now() - t0) / 1000);
      }
    };
  }
}

function usageOf(s: Awaited<ReturnType<typeof sampleCgroup>>): ContainerUsage {
  const cpu = (s.cpu_stats.cpu_usage as { total_usage?: number } | undefined)?.total_usage ?? 0;
  const mem = s.memory_stats as { usage?: number; limit?: number };
  const io = (s.blkio_stats.io_service_bytes_recursive as Array<{ op: string; value: number }> | null) ?? [];
  const rx: Record<string, number> = {};
  const tx: Record<string, number> = {};
  for (const [iface, n] of Object.entries(s.networks ?? {})) {
    rx[iface] = n.rx_bytes ?? 0;
    tx[iface] = n.tx_bytes ?? 0;
  }
  return {
    cpuSeconds: cpu / 1e9,
    memoryBytes: mem.usage ?? 0,
    memoryLimitBytes: mem.limit ?? 0,
    pids: (s.pids_stats as { current?: number }).current ?? 0,
    rxBytes: rx,
    txBytes: tx,
    readBytes: io.filter((x) => x.op.toLowerCase() === "read").reduce((a, x) => a + x.value, 0),
    writeBytes: io.filter((x) => x.op.toLowerCase() === "write").reduce((a, x) => a + x.value, 0),
  };
}

/** Builds the metrics, instruments the services, and serves /metrics when metrics-addr is set. */
export async function wireMetrics(d: Deps): Promise<{ metrics: EngineMetrics; listener?: MetricsListener }> {
  const host = await detectHostInfo();
  const health = d.extensions.find((e) => e.name === "health") as { probes?: number; failedProbes?: number } | undefined;
  const cgroupParent = d.config.cgroupParent.replace(/\/$/, "");
  const running = () => d.store.all().filter((c) => c.state.status === "running" || c.state.status === "paused");
  const metrics = new EngineMetrics({
    containerStates: () => {
      const all = d.store.all();
      const n = (f: (s: string) => boolean) => all.filter((c) => f(c.state.status)).length;
      return { running: n((s) => s === "running" || s === "restarting"), paused: n((s) => s === "paused"), stopped: n((s) => !["running", "restarting", "paused"].includes(s)) };
    },
    runningContainers: () => running().map((c) => ({ id: c.id, name: c.name.slice(1), image: c.config.Image ?? c.image })),
    usage: async (id) => {
      const c = d.store.find(id);
      if (!c?.state.pid) return undefined;
      return usageOf(await sampleCgroup(host.cgroupVersion, `${cgroupParent}/${c.id}`, c.state.pid, host.memTotal));
    },
    healthChecks: () => ({ total: health?.probes ?? 0, failed: health?.failedProbes ?? 0 }),
    logDelivery: () => d.logging.deliveryStats().map((s) => ({ ...s, name: d.store.find(s.id)?.name.slice(1) ?? "" })),
    engineInfo: {
      architecture: os.machine(), commit: "", daemon_id: d.engineId, graphdriver: "overlay2", kernel: os.release(),
      os: "linux", os_type: "linux", os_version: os.release(), version: d.version,
    },
    cpus: host.ncpu,
    memoryBytes: host.memTotal,
  });
  d.events.subscribe(() => metrics.event());
  timeMethods(d.containers, { create: "create", start: "start", stop: "stop", remove: "delete", restart: "restart", kill: "kill", pause: "pause", unpause: "unpause" }, (a, s) => metrics.containerAction(a, s));
  timeMethods(d.networking, { create: "create", connect: "connect", disconnect: "disconnect", remove: "delete" }, (a, s) => metrics.networkAction(a, s));
  if (!d.config.metricsAddr) return { metrics };
  const listener = await serveMetrics(d.config.metricsAddr, metrics.registry);
  const bindHost = d.config.metricsAddr.slice(0, d.config.metricsAddr.lastIndexOf(":")).replace(/^\[|\]$/g, "");
  if (!isLoopback(bindHost)) {
    log.warn("metrics are served without authentication on a non-loopback address: anyone who can reach it sees container names, images and usage; bind it to 127.0.0.1 or firewall it", { addr: listener.address });
  }
  log.info("metrics API listening", { addr: listener.address });
  return { metrics, listener };
}
