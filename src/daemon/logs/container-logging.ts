// Container logging in the daemon: the log config at create (daemon default,
// dockerd's validation), how the monitor writes output at each start, what
// `docker logs` reads, and the forwarders of remote drivers.
import { promises as fs } from "node:fs";
import path from "node:path";
import { InvalidArgumentError, NotImplementedError } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import { createSink, retryPolicy } from "../../logging/drivers/index.js";
import { SpoolForwarder } from "../../logging/forwarder.js";
import { isLogDriver, planLogs, validateLogConfig, type LogDriverName, type LogPlan } from "../../logging/log-config.js";
import { fileAttributes, LogInfo } from "../../logging/log-info.js";
import type { LogFormat } from "../../logging/records.js";
import { connectShim, type ShimConnection, type ShimLogOptions } from "../../runtime/shim/shim-client.js";
import type { ContainerExtension } from "../containers/extensions.js";
import type { ContainerRecord } from "../containers/types.js";

/** How long removing a container waits for its remote log driver to deliver what is left. */
const REMOVE_DRAIN_MS = 10_000;

export interface LoggingDeps {
  /** The daemon's default log driver and options (read at each create: SIGHUP may change them). */
  defaults(): { driver: string; opts: Record<string, string> };
  containerDir(id: string): string;
  stateDir(id: string): string;
}

/** Per-container delivery numbers (metrics). */
export interface LogDeliveryStats {
  id: string;
  name: string;
  image: string;
  driver: string;
  delivered: number;
  dropped: number;
}

/** Blocking delivery: records the monitor may write ahead of the receiver (Docker's pipe and socket buffers hold about as much). */
const BLOCK_RECORDS = 1024;

function infoOf(c: ContainerRecord): LogInfo {
  return new LogInfo(
    { id: c.id, name: c.name, imageId: c.imageId, imageName: c.config.Image ?? c.image, entrypoint: c.path, args: c.args, created: c.created, labels: c.config.Labels ?? {}, env: c.config.Env ?? [] },
    c.hostConfig.LogConfig?.Config ?? {},
  );
}

function driverOf(c: ContainerRecord): LogDriverName {
  const t = c.hostConfig.LogConfig?.Type || "json-file";
  return isLogDriver(t) ? t : "json-file";
}

interface Delivery {
  forwarder: SpoolForwarder;
  conn?: ShimConnection;
  dropped: number;
  driver: string;
}

export class ContainerLogging implements ContainerExtension {
  readonly name = "logging";
  private readonly deliveries = new Map<string, Delivery>();
  /** Counts that outlive a container's forwarder (dropped, failures; delivered of finished forwarders). */
  private readonly totals = new Map<string, { driver: string; delivered: number; dropped: number; failures: number }>();
  /** Every drop, for the metrics counter: (container, driver, count). */
  onDropped?: (c: ContainerRecord, driver: string, n: number) => void;

  constructor(private readonly deps: LoggingDeps) {}

  plan(c: ContainerRecord): LogPlan {
    return planLogs(c.id, driverOf(c), c.hostConfig.LogConfig?.Config ?? {});
  }

  /** dockerd's mergeAndVerifyLogConfig: the default driver (and its options) when none is named. */
  async create(c: ContainerRecord): Promise<void> {
    const d = this.deps.defaults();
    const lc = c.hostConfig.LogConfig ?? { Type: "", Config: {} };
    const type = lc.Type || d.driver;
    const config: Record<string, string> = { ...(lc.Config ?? {}) };
    for (const [k, v] of Object.entries(d.opts)) {
      if (k in config) continue;
      if (type === d.driver || k.startsWith("cache-")) config[k] = v;
    }
    validateLogConfig(type, config);
    if (type !== "none" && !isLogDriver(type)) throw new InvalidArgumentError(`logger: no log driver named '${type}' is registered`);
    c.hostConfig.LogConfig = { Type: type, Config: config };
  }

  inspect(c: ContainerRecord, out: Record<string, unknown>): void {
    const p = this.plan(c);
    out.LogPath = p.driver === "json-file" && p.file ? path.join(this.deps.containerDir(c.id), p.file.name) : "";
  }

  /**
   * How the monitor writes this run's output. For a remote driver the receiver
   * is checked first, so an unreachable one fails the start as in dockerd.
   */
  async shimOptions(c: ContainerRecord): Promise<ShimLogOptions | undefined> {
    const p = this.plan(c);
    if (!p.file) return undefined;
    const info = infoOf(c);
    if (p.remote) await this.ensureDelivery(c, p, info, true);
    const file = path.join(this.deps.containerDir(c.id), p.file.name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    return {
      path: file,
      format: p.file.format,
      maxSize: p.file.rotation.maxSize,
      maxFile: p.file.rotation.maxFile,
      compress: p.file.rotation.compress,
      attrs: p.remote ? undefined : fileAttributes(info),
      seq: p.remote || undefined,
      block: p.remote && p.blocking ? BLOCK_RECORDS : undefined,
    };
  }

  /** What `docker logs` reads; NotImplemented for drivers without a readable local copy. */
  reader(c: ContainerRecord): { base: string; format: LogFormat } {
    const p = this.plan(c);
    if (!p.file || !p.readable) throw new NotImplementedError("configured logging driver does not support reading");
    return { base: path.join(this.deps.containerDir(c.id), p.file.name), format: p.file.format };
  }

  private async ensureDelivery(c: ContainerRecord, p: LogPlan, info: LogInfo, failStart: boolean): Promise<Delivery> {
    const existing = this.deliveries.get(c.id);
    if (existing) {
      existing.forwarder.setRunning(true);
      return existing;
    }
    const sink = createSink(p.driver, info);
    try {
      await sink.open();
    } catch (err) {
      if (failStart) throw new InvalidArgumentError(`failed to initialize logging driver: ${(err as Error).message}`);
      log.warn("log driver: receiver unreachable, will retry", { id: c.id.slice(0, 12), driver: p.driver, error: (err as Error).message });
    }
    const dir = this.deps.containerDir(c.id);
    const short = c.id.slice(0, 12);
    const delivery: Delivery = { driver: p.driver, dropped: 0, forwarder: undefined as unknown as SpoolForwarder };
    let lastErrorLog = 0;
    delivery.forwarder = new SpoolForwarder({
      spool: path.join(dir, p.file!.name),
      cursorFile: path.join(dir, "log-cursor.json"),
      sink,
      blocking: p.blocking,
      maxBufferSize: p.maxBufferSize,
      retry: retryPolicy(info),
      onDropped: (n, why) => {
        delivery.dropped += n;
        this.total(c.id, p.driver).dropped += n;
        this.onDropped?.(c, p.driver, n);
        if (why !== "buffer full") log.warn("log driver dropped messages", { id: short, driver: p.driver, count: n, reason: why });
      },
      onError: (err, failures) => {
        this.total(c.id, p.driver).failures++;
        if (failures === 1 || Date.now() - lastErrorLog > 60_000) {
          lastErrorLog = Date.now();
          log.warn("log driver cannot deliver, retrying", { id: short, driver: p.driver, error: err.message, failures });
        }
      },
    });
    this.deliveries.set(c.id, delivery);
    await delivery.forwarder.start();
    void delivery.forwarder.done().then(() => {
      this.total(c.id, p.driver).delivered += delivery.forwarder.delivered;
      if (this.deliveries.get(c.id) === delivery) this.deliveries.delete(c.id);
      delivery.conn?.close();
    });
    return delivery;
  }

  private total(id: string, driver: string) {
    let t = this.totals.get(id);
    if (!t) this.totals.set(id, (t = { driver, delivered: 0, dropped: 0, failures: 0 }));
    return t;
  }

  /** Blocking delivery: connect to the monitor to tell it what is delivered. */
  private async attachMonitor(c: ContainerRecord): Promise<void> {
    const d = this.deliveries.get(c.id);
    if (!d) return;
    d.conn?.close();
    const conn = await connectShim(this.deps.stateDir(c.id)).catch(() => undefined);
    if (!conn) return;
    d.conn = conn;
    d.forwarder.ack = (seq) => conn.ackLog(seq);
    conn.once("close", () => {
      if (d.conn === conn) d.forwarder.ack = undefined;
    });
    conn.ackLog(d.forwarder.deliveredSeq);
  }

  async started(c: ContainerRecord): Promise<void> {
    if (this.plan(c).remote) await this.attachMonitor(c);
  }

  async restored(c: ContainerRecord): Promise<void> {
    const p = this.plan(c);
    if (!p.remote) return;
    await this.ensureDelivery(c, p, infoOf(c), false);
    await this.attachMonitor(c);
  }

  /** After a daemon restart: deliver what stopped containers wrote while it was down. */
  async resumeStopped(c: ContainerRecord): Promise<void> {
    const p = this.plan(c);
    if (!p.remote || this.deliveries.has(c.id)) return;
    const d = await this.ensureDelivery(c, p, infoOf(c), false);
    d.forwarder.setRunning(false);
  }

  async exited(c: ContainerRecord): Promise<void> {
    this.deliveries.get(c.id)?.forwarder.setRunning(false);
  }

  async removed(c: ContainerRecord): Promise<void> {
    const d = this.deliveries.get(c.id);
    this.deliveries.delete(c.id);
    d?.conn?.close();
    if (d) {
      // `run --rm` removes the container right after it exits: what it wrote is still
      // delivered first (as dockerd drains its copier), within a bound for a receiver that is gone.
      d.forwarder.setRunning(false);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([d.forwarder.done().catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, REMOVE_DRAIN_MS)))]);
      clearTimeout(timer);
    }
    await d?.forwarder.stop();
    this.totals.delete(c.id);
  }

  /** Daemon shutdown: stop delivering (the cursors are saved; a restarted daemon resumes). */
  async close(): Promise<void> {
    await Promise.all([...this.deliveries.values()].map(async (d) => {
      d.conn?.close();
      await d.forwarder.stop();
    }));
    this.deliveries.clear();
  }

  /** Per container since the daemon started: delivered, dropped and failed deliveries of its remote driver. */
  deliveryStats(): Array<{ id: string; driver: string; delivered: number; dropped: number; failures: number }> {
    const out = new Map<string, { id: string; driver: string; delivered: number; dropped: number; failures: number }>();
    for (const [id, t] of this.totals) out.set(id, { id, ...t });
    for (const [id, d] of this.deliveries) {
      const t = out.get(id) ?? { id, driver: d.driver, delivered: 0, dropped: 0, failures: 0 };
      t.delivered += d.forwarder.delivered;
      out.set(id, t);
    }
    return [...out.values()];
  }
}
