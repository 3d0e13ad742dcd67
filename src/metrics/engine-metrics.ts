// The daemon's Prometheus metrics (prom-client, one registry per daemon):
// dockerd's engine metrics under their names, process metrics, and beyond
// dockerd, per-container CPU, memory, network, block I/O and pids (the role
// cAdvisor plays next to dockerd) and the log drivers' delivery counters.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export interface ContainerUsage {
  cpuSeconds: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  pids: number;
  /** interface → bytes */
  rxBytes: Record<string, number>;
  txBytes: Record<string, number>;
  readBytes: number;
  writeBytes: number;
}

/** What the metrics read from the daemon at scrape time (declared here, implemented in the daemon's wiring). */
export interface MetricsSources {
  containerStates(): { running: number; paused: number; stopped: number };
  runningContainers(): Array<{ id: string; name: string; image: string }>;
  usage(id: string): Promise<ContainerUsage | undefined>;
  healthChecks(): { total: number; failed: number };
  logDelivery(): Array<{ id: string; name: string; driver: string; delivered: number; dropped: number; failures: number }>;
  engineInfo: { architecture: string; commit: string; daemon_id: string; graphdriver: string; kernel: string; os: string; os_type: string; os_version: string; version: string };
  cpus: number;
  memoryBytes: number;
}

const ACTION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class EngineMetrics {
  readonly registry = new Registry();
  private readonly actions: Histogram<"action">;
  private readonly networkActions: Histogram<"action">;
  private readonly events: Counter;

  constructor(src: MetricsSources) {
    const r = this.registry;
    collectDefaultMetrics({ register: r });
    // Gauges named *_total: promtool refuses them (dockerd's engine_daemon_events_subscribers_total is left out for the same reason).
    for (const m of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]) r.removeSingleMetric(m);
    this.actions = new Histogram({ name: "engine_daemon_container_actions_seconds", help: "The number of seconds it takes to process each container action", labelNames: ["action"], buckets: ACTION_BUCKETS, registers: [r] });
    this.networkActions = new Histogram({ name: "engine_daemon_network_actions_seconds", help: "The number of seconds it takes to process each network action", labelNames: ["action"], buckets: ACTION_BUCKETS, registers: [r] });
    this.events = new Counter({ name: "engine_daemon_events_total", help: "The number of events logged", registers: [r] });
    new Gauge({
      name: "engine_daemon_container_states_containers", help: "The count of containers in various states", labelNames: ["state"], registers: [r],
      collect() {
        const s = src.containerStates();
        for (const state of ["running", "paused", "stopped"] as const) this.set({ state }, s[state]);
      },
    });
    const health = () => src.healthChecks();
    new Counter({ name: "engine_daemon_health_checks_total", help: "The total number of health checks", registers: [r], collect() { this.reset(); this.inc(health().total); } });
    new Counter({ name: "engine_daemon_health_checks_failed_total", help: "The total number of failed health checks", registers: [r], collect() { this.reset(); this.inc(health().failed); } });
    const info = new Gauge({ name: "engine_daemon_engine_info", help: "The information related to the engine and the OS it is running on", labelNames: Object.keys(src.engineInfo), registers: [r] });
    info.set(src.engineInfo, 1);
    new Gauge({ name: "engine_daemon_engine_cpus_cpus", help: "The number of cpus that the host system of the engine has", registers: [r] }).set(src.cpus);
    new Gauge({ name: "engine_daemon_engine_memory_bytes", help: "The number of bytes of memory that the host system of the engine has", registers: [r] }).set(src.memoryBytes);
    this.containerMetrics(src);
    this.logMetrics(src);
  }

  private containerMetrics(src: MetricsSources): void {
    const r = this.registry;
    const labelNames = ["id", "name", "image"] as const;
    type Row = { l: { id: string; name: string; image: string }; u: ContainerUsage };
    // A scrape collects every metric at once: they share one pass over the running containers.
    let pass: { at: number; rows: Promise<Row[]> } | undefined;
    const rows = (): Promise<Row[]> => {
      if (pass && Date.now() - pass.at < 500) return pass.rows;
      const p = Promise.all(src.runningContainers().map(async (c) => {
        const u = await src.usage(c.id).catch(() => undefined);
        return u && { l: { id: c.id, name: c.name, image: c.image }, u };
      })).then((all) => all.filter((x): x is Row => !!x));
      pass = { at: Date.now(), rows: p };
      return p;
    };
    const gauge = (name: string, help: string, value: (u: ContainerUsage) => number) =>
      new Gauge({ name, help, labelNames, registers: [r], async collect() {
        const all = await rows();
        this.reset();
        for (const { l, u } of all) this.set(l, value(u));
      } });
    const counter = (name: string, help: string, value: (u: ContainerUsage) => number) =>
      new Counter({ name, help, labelNames, registers: [r], async collect() {
        const all = await rows();
        this.reset();
        for (const { l, u } of all) this.inc(l, value(u));
      } });
    const perInterface = (name: string, help: string, value: (u: ContainerUsage) => Record<string, number>) =>
      new Counter({ name, help, labelNames: [...labelNames, "interface"], registers: [r], async collect() {
        const all = await rows();
        this.reset();
        for (const { l, u } of all) for (const [iface, v] of Object.entries(value(u))) this.inc({ ...l, interface: iface }, v);
      } });
    counter("container_cpu_usage_seconds_total", "Cumulative CPU time consumed by the container in seconds", (u) => u.cpuSeconds);
    gauge("container_memory_usage_bytes", "Current memory usage of the container in bytes, page cache included", (u) => u.memoryBytes);
    gauge("container_spec_memory_limit_bytes", "Memory limit of the container in bytes (the host's memory when unlimited)", (u) => u.memoryLimitBytes);
    gauge("container_processes", "Number of processes (tasks) in the container", (u) => u.pids);
    perInterface("container_network_receive_bytes_total", "Cumulative bytes received by the container per network interface", (u) => u.rxBytes);
    perInterface("container_network_transmit_bytes_total", "Cumulative bytes sent by the container per network interface", (u) => u.txBytes);
    counter("container_fs_reads_bytes_total", "Cumulative bytes read from block devices by the container", (u) => u.readBytes);
    counter("container_fs_writes_bytes_total", "Cumulative bytes written to block devices by the container", (u) => u.writeBytes);
    gauge("container_last_seen", "Time the container was last seen running, in seconds since the epoch", () => Date.now() / 1000);
  }

  private logMetrics(src: MetricsSources): void {
    const r = this.registry;
    const labelNames = ["id", "name", "driver"] as const;
    // Registered first, so its collect fills the other two before they are read.
    const dropped = new Counter({
      name: "logger_messages_dropped_total", help: "Log messages dropped by a remote log driver (non-blocking buffer full, spool rotated before delivery, retries exhausted), per container", labelNames, registers: [r],
      collect() {
        dropped.reset();
        delivered.reset();
        failures.reset();
        for (const d of src.logDelivery()) {
          const l = { id: d.id, name: d.name, driver: d.driver };
          dropped.inc(l, d.dropped);
          delivered.inc(l, d.delivered);
          failures.inc(l, d.failures);
        }
      },
    });
    const delivered = new Counter({ name: "logger_messages_delivered_total", help: "Log messages a remote log driver delivered, per container", labelNames, registers: [r] });
    const failures = new Counter({ name: "logger_log_write_operations_failed_total", help: "Failed deliveries of a remote log driver (each is retried or dropped), per container", labelNames, registers: [r] });
  }

  containerAction(action: string, seconds: number): void {
    this.actions.observe({ action }, seconds);
  }

  networkAction(action: string, seconds: number): void {
    this.networkActions.observe({ action }, seconds);
  }

  event(): void {
    this.events.inc();
  }
}
