import type { PlatformSpec } from "../../image/platform-spec.js";
import { promises as fs } from "node:fs";
import type { Duplex } from "node:stream";
import { ConflictError, InvalidArgumentError, NotFoundError, NotModifiedError } from "../../lib/errors.js";
import { VALID_NAME } from "../../lib/names.js";
import { log } from "../../lib/log.js";
import { readExitFile, connectShim, type ExitInfo } from "../../runtime/shim/shim-client.js";
import type { ContainerDeps } from "./deps.js";
import { createContainer, type CreateRequest } from "./create.js";
import { LiveContainer } from "./live.js";
import { launchContainer, stateDir, StartError } from "./start.js";
import { assertCanKill, assertCanRemove, assertCanStart, isRunning } from "./state.js";
import { parseSignal } from "./signals.js";
import { RestartScheduler, restartsOnDaemonStart, shouldRestart } from "./restart-policy.js";
import { containerPids, setFrozen, topProcesses } from "./process-control.js";
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from "../attach/detach-keys.js";
import type { ContainerRecord } from "./types.js";

export type WaitCondition = "not-running" | "next-exit" | "removed";

/**
 * Container lifecycle: create, start, stop, kill, wait, remove, rename, attach.
 * Records live in the ContainerStore; the runtime side (shim connection,
 * attached clients, waiters) in one LiveContainer per container.
 */
export class ContainerService {
  private readonly live = new Map<string, LiveContainer>();

  constructor(readonly deps: ContainerDeps) {}

  liveOf(id: string): LiveContainer {
    let l = this.live.get(id);
    if (!l) this.live.set(id, (l = new LiveContainer()));
    return l;
  }

  get(ref: string): ContainerRecord {
    return this.deps.store.get(ref);
  }

  create(body: CreateRequest, name: string | undefined, platform?: PlatformSpec) {
    return createContainer(this.deps, body, name, platform);
  }

  private attrs(c: ContainerRecord, extra: Record<string, string> = {}): Record<string, string> {
    return { ...(c.config.Labels ?? {}), image: c.image, name: c.name.slice(1), ...extra };
  }

  /** `policyRestart`: a restart-policy restart keeps RestartCount; a user start resets it, as in dockerd. */
  async start(ref: string, policyRestart = false): Promise<void> {
    const c = this.get(ref);
    assertCanStart(c);
    if (!policyRestart) {
      c.restartCount = 0;
      this.restarts.forget(c.id);
    }
    const live = this.liveOf(c.id);
    let launched;
    try {
      launched = await launchContainer(this.deps, c);
    } catch (err) {
      // Like dockerd, any failure here is a start failure: recorded with exit code 128 unless the runtime
      // said otherwise, --rm containers removed; spec errors (an unknown user, ...) are system errors (500).
      const e = err instanceof StartError ? err : err instanceof InvalidArgumentError || !(err instanceof Error) ? new StartError(String((err as Error)?.message ?? err), 128) : err;
      c.state.exitCode = e instanceof StartError ? e.exitCode : 128;
      c.state.error = e.message;
      await this.deps.store.saveOrLog(c, "the failed start");
      if (c.hostConfig.AutoRemove) await this.removeRecord(c);
      throw e;
    }
    const { pid, conn } = launched;
    live.bind(conn);
    conn.once("exit", (exit: ExitInfo) => void this.onExit(c, exit));
    conn.once("close", () => void this.onShimClosed(c));
    try {
      await conn.start();
    } catch (err) {
      const { describeStartError } = await import("./runtime-errors.js");
      const { message, exitCode } = describeStartError((err as Error).message, c.path);
      c.state.exitCode = exitCode;
      c.state.error = message;
      await this.deps.store.saveOrLog(c, "the failed start");
      throw new StartError(message, exitCode);
    }
    c.state = {
      ...c.state,
      status: "running",
      pid,
      exitCode: 0,
      error: "",
      oomKilled: false,
      startedAt: new Date().toISOString(),
      stoppedByUser: false,
    };
    await this.deps.store.saveOrLog(c, "the start");
    await this.runHooks("started", c);
    this.deps.events.publish("container", "start", c.id, this.attrs(c));
  }

  /** Run a non-failing lifecycle hook of every extension; failures are logged, never fatal. */
  private async runHooks(hook: "started" | "exited" | "restored", c: ContainerRecord): Promise<void> {
    for (const ext of this.deps.extensions) {
      try {
        await ext[hook]?.(c);
      } catch (err) {
        log.warn(`${ext.name} ${hook} hook failed`, { id: c.id, error: String(err) });
      }
    }
  }

  /** Containers whose exit is being recorded (the monitor's exit frame and its close can both report it). */
  private readonly exiting = new Set<string>();
  /** Containers being stopped by a restart: their exit neither auto-removes nor applies the restart policy. */
  private readonly restartingByUser = new Set<string>();

  /** Record an exit reported by the monitor, end attached streams, auto-remove. */
  private async onExit(c: ContainerRecord, exit: ExitInfo): Promise<void> {
    if (!this.deps.store.find(c.id) || !isRunning(c.state.status) || exitHandled(c) || this.exiting.has(c.id)) return;
    this.exiting.add(c.id);
    try {
      for (const ext of this.deps.extensions) {
        await ext.exiting?.(c, exit).catch((err) => log.warn(`${ext.name} exiting hook failed`, { id: c.id, error: String(err) }));
      }
    } finally {
      this.exiting.delete(c.id);
    }
    const live = this.liveOf(c.id);
    // A container its policy brings back is "restarting" from its exit on, never "exited" in between.
    const restart = !c.hostConfig.AutoRemove && shouldRestart(c, exit.exitCode);
    c.state = { ...c.state, status: restart ? "restarting" : "exited", pid: 0, exitCode: exit.exitCode, finishedAt: exit.finishedAt };
    // A full disk must not keep `docker run`/`wait` waiting for an exit that happened (the monitor's exit file has it too).
    await this.deps.store.saveOrLog(c, "the exit");
    live.unbind();
    live.endAttachments();
    await this.runHooks("exited", c);
    this.deps.events.publish("container", "die", c.id, this.attrs(c, { exitCode: String(exit.exitCode) }));
    live.notifyExit(exit);
    if (c.hostConfig.AutoRemove && !this.restartingByUser.has(c.id)) {
      await this.removeRecord(c).catch((err) => log.warn("auto-remove failed", { id: c.id, error: String(err) }));
      return;
    }
    if (restart && c.state.status === "restarting") await this.scheduleRestart(c);
  }

  private readonly restarts = new RestartScheduler({
    find: (id) => this.deps.store.find(id),
    save: (c) => this.deps.store.save(c),
    start: (id) => this.start(id, true),
  });

  private scheduleRestart(c: ContainerRecord): Promise<void> {
    return this.restarts.schedule(c);
  }

  /** The monitor connection dropped without an exit frame: the exit file or the monitor's absence tells what happened. */
  private async onShimClosed(c: ContainerRecord): Promise<void> {
    if (!isRunning(c.state.status) || exitHandled(c)) return;
    const exit = await readExitFile(stateDir(this.deps, c.id));
    if (exit) return this.onExit(c, exit);
    // Reconnect once: a transient close while the monitor lives must not lose the container.
    try {
      const conn = await connectShim(stateDir(this.deps, c.id));
      conn.subscribe();
      const live = this.liveOf(c.id);
      live.unbind();
      live.bind(conn);
      conn.once("exit", (e: ExitInfo) => void this.onExit(c, e));
      conn.once("close", () => void this.onShimClosed(c));
    } catch {
      const again = await readExitFile(stateDir(this.deps, c.id));
      await this.onExit(c, again ?? { exitCode: 255, signal: 0, finishedAt: new Date().toISOString() });
    }
  }

  /** Wait for the running container to exit, up to `ms` (undefined = forever). */
  private waitExit(c: ContainerRecord, ms?: number): Promise<boolean> {
    if (!isRunning(c.state.status)) return Promise.resolve(true);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const off = this.liveOf(c.id).onNextExit(() => {
        if (timer) clearTimeout(timer);
        resolve(true);
      });
      if (ms !== undefined) timer = setTimeout(() => (off(), resolve(false)), ms);
    });
  }

  private signal(c: ContainerRecord, sig: number): void {
    // No process (restarting between two runs, or exited meanwhile): kill(0) or kill(-1) would hit
    // the daemon's own process group or every process, never the container.
    if (!(c.state.pid > 0)) return;
    try {
      process.kill(c.state.pid, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
    }
  }

  async kill(ref: string, signal = "SIGKILL"): Promise<void> {
    const c = this.get(ref);
    const sig = parseSignal(signal);
    assertCanKill(c);
    if (c.state.status === "restarting" && !(c.state.pid > 0)) {
      // Between two runs there is no process: the kill cancels the pending restart, as a stop does.
      c.state.stoppedByUser = true;
      c.state.status = "exited";
      await this.deps.store.save(c);
      this.deps.events.publish("container", "kill", c.id, this.attrs(c, { signal: String(sig) }));
      return;
    }
    // SIGKILL, or the container's own stop signal, is a stop by the user: no restart policy (dockerd).
    if (sig === 9 || sig === parseSignal(c.config.StopSignal || "SIGTERM")) c.state.stoppedByUser = true;
    // Like dockerd, a SIGKILL answers once the exit is recorded (`kill` then `inspect` sees it exited).
    const exited = sig === 9 ? this.waitExit(c, 10_000) : undefined;
    this.signal(c, sig);
    if (c.state.status === "paused" && sig === 9) await this.unpause(c.id).catch(() => undefined);
    this.deps.events.publish("container", "kill", c.id, this.attrs(c, { signal: String(sig) }));
    await exited;
  }

  async stop(ref: string, opts: { signal?: string; timeout?: number; byUser?: boolean } = {}): Promise<void> {
    const c = this.get(ref);
    if (c.state.status === "restarting") {
      // Waiting out a back-off: cancelling the pending restart is the stop.
      c.state.stoppedByUser = opts.byUser !== false;
      c.state.status = "exited";
      await this.deps.store.save(c);
      this.deps.events.publish("container", "stop", c.id, this.attrs(c));
      return;
    }
    if (!isRunning(c.state.status)) throw new NotModifiedError(`container ${c.id} is already stopped`);
    const sig = parseSignal(opts.signal || c.config.StopSignal || "SIGTERM");
    const timeoutSec = opts.timeout ?? c.config.StopTimeout ?? 10;
    c.state.stoppedByUser = opts.byUser !== false;
    if (c.state.status === "paused") await this.unpause(c.id).catch(() => undefined);
    const exited = this.waitExit(c, timeoutSec < 0 ? undefined : timeoutSec * 1000);
    this.signal(c, sig);
    this.deps.events.publish("container", "kill", c.id, this.attrs(c, { signal: String(sig) }));
    if (!(await exited)) {
      const killed = this.waitExit(c, 30_000);
      this.signal(c, 9);
      this.deps.events.publish("container", "kill", c.id, this.attrs(c, { signal: "9" }));
      if (!(await killed)) throw new ConflictError(`container ${c.id} did not exit after SIGKILL; its monitor may be stuck`);
    }
    this.deps.events.publish("container", "stop", c.id, this.attrs(c));
  }

  async restart(ref: string, opts: { signal?: string; timeout?: number } = {}): Promise<void> {
    const c = this.get(ref);
    if (isRunning(c.state.status)) {
      // The stop inside a restart is no end of the container: --rm does not remove it (as dockerd).
      this.restartingByUser.add(c.id);
      try {
        await this.stop(c.id, opts);
      } finally {
        this.restartingByUser.delete(c.id);
      }
    }
    await this.start(c.id);
    this.deps.events.publish("container", "restart", c.id, this.attrs(c));
  }

  /**
   * Wait for a condition. `registered` fires once the waiter is in place, so
   * the route can send its response headers first: the docker CLI waits for
   * them before it starts the container.
   */
  async wait(ref: string, condition: WaitCondition, registered: () => void, aborted: Promise<void>): Promise<{ StatusCode: number; Error?: { Message: string } | null }> {
    const c = this.get(ref);
    const live = this.liveOf(c.id);
    // dockerd answers a wait with Error null even when the start failed (the start call reports that);
    // the docker CLI would print a second "Error waiting for container" line otherwise.
    const result = () => ({ StatusCode: c.state.exitCode, Error: null });
    if (condition === "not-running" && !isRunning(c.state.status)) {
      registered();
      return result();
    }
    let off = () => {};
    const done = new Promise<void>((resolve) => {
      off = condition === "removed" ? live.onRemoved(resolve) : live.onNextExit(() => resolve());
    });
    registered();
    await Promise.race([done, aborted]);
    off();
    return result();
  }

  async remove(ref: string, opts: { force?: boolean; volumes?: boolean }): Promise<void> {
    const c = this.get(ref);
    assertCanRemove(c, !!opts.force);
    if (c.state.status === "restarting" && !(c.state.pid > 0)) c.state.stoppedByUser = true; // cancels the pending restart
    else if (isRunning(c.state.status)) {
      const exited = this.waitExit(c, 30_000);
      c.state.stoppedByUser = true;
      this.signal(c, 9);
      if (c.state.status === "paused") await setFrozen(this.deps, c, false).catch(() => undefined);
      this.deps.events.publish("container", "kill", c.id, this.attrs(c, { signal: "9" }));
      await exited;
    }
    await this.removeRecord(c, !!opts.volumes);
  }

  private async removeRecord(c: ContainerRecord, volumes = false): Promise<void> {
    if (!this.deps.store.find(c.id)) return;
    c.state.status = "removing";
    for (const ext of this.deps.extensions) {
      try {
        await ext.removed?.(c, { volumes: volumes || !!c.hostConfig.AutoRemove });
      } catch (err) {
        log.warn(`${ext.name} remove hook failed`, { id: c.id, error: String(err) });
      }
    }
    await this.deps.rootfs.remove(c.id);
    await this.deps.store.delete(c);
    await fs.rm(stateDir(this.deps, c.id), { recursive: true, force: true });
    this.deps.events.publish("container", "destroy", c.id, this.attrs(c));
    this.restarts.forget(c.id);
    const live = this.live.get(c.id);
    this.live.delete(c.id);
    live?.notifyRemoved();
    this.deps.onRemoved?.(c);
  }

  /** Forget the legacy link `/<parent>/<alias>` (it takes effect at the parent's next start, as in dockerd). */
  async removeLink(parentRef: string, alias: string): Promise<void> {
    const parent = this.deps.store.find(parentRef);
    const links = parent?.hostConfig.Links ?? [];
    const keep = links.filter((l) => l.slice(l.lastIndexOf("/") + 1) !== alias);
    if (!parent || keep.length === links.length) throw new NotFoundError(`No such container: ${parentRef}/${alias}`);
    parent.hostConfig.Links = keep.length ? keep : null;
    await this.deps.store.save(parent);
  }

  async rename(ref: string, newName: string): Promise<void> {
    const c = this.get(ref);
    if (!newName) throw new InvalidArgumentError("Neither old nor new names may be empty");
    if (!VALID_NAME.test(newName)) throw new InvalidArgumentError(`Invalid container name (${newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const name = "/" + newName.replace(/^\//, "");
    if (name === c.name) throw new InvalidArgumentError(`Renaming a container with the same name as its current name`);
    try {
      this.deps.store.reserveName(name, c.id);
    } catch (err) {
      if (err instanceof ConflictError) throw new ConflictError(`Error when allocating new name: ${err.message}`);
      throw err;
    }
    const old = c.name;
    c.name = name;
    this.deps.store.releaseName(old, c.id);
    await this.deps.store.save(c);
    this.deps.events.publish("container", "rename", c.id, this.attrs(c, { oldName: old }));
  }

  /** Attach a hijacked client stream to the container's stdio. `raw`: never frame output (websocket attach). */
  attach(ref: string, socket: Duplex, opts: { stdin: boolean; stdout: boolean; stderr: boolean; detachKeys?: string; raw?: boolean }): void {
    const c = this.get(ref);
    const keys = parseDetachKeys(opts.detachKeys || DEFAULT_DETACH_KEYS);
    this.liveOf(c.id).attachClient(socket, {
      stdin: opts.stdin && !!c.config.OpenStdin,
      stdout: opts.stdout,
      stderr: opts.stderr,
      tty: !!c.config.Tty || !!opts.raw,
      detachKeys: c.config.Tty ? keys : undefined,
      closeStdinOnEnd: !!c.config.StdinOnce,
      onDetach: () => this.deps.events.publish("container", "detach", c.id, this.attrs(c)),
    });
    this.deps.events.publish("container", "attach", c.id, this.attrs(c));
  }

  /** After a daemon restart: reconnect to running containers' monitors, record exits that happened meanwhile. */
  async restore(): Promise<void> {
    for (const c of this.deps.store.all()) {
      if (c.state.status === "removing") {
        await this.removeRecord(c).catch(() => undefined);
        continue;
      }
      if (c.state.status === "restarting") c.state.status = "exited";
      if (!isRunning(c.state.status)) {
        if (restartsOnDaemonStart(c)) await this.start(c.id).catch((err) => log.warn("restart on daemon start failed", { id: c.id, error: String(err) }));
        continue;
      }
      const dir = stateDir(this.deps, c.id);
      try {
        const conn = await connectShim(dir);
        conn.subscribe();
        this.liveOf(c.id).bind(conn);
        conn.once("exit", (exit: ExitInfo) => void this.onExit(c, exit));
        conn.once("close", () => void this.onShimClosed(c));
        await this.runHooks("restored", c);
      } catch {
        const exit = await readExitFile(dir);
        await this.onExit(c, exit ?? { exitCode: 255, signal: 0, finishedAt: new Date().toISOString() });
      }
    }
  }

  async pause(ref: string): Promise<void> {
    const c = this.get(ref);
    if (c.state.status === "paused") throw new ConflictError(`Container ${c.id} is already paused`);
    if (c.state.status !== "running") throw new ConflictError(`Container ${c.id} is not running`);
    await setFrozen(this.deps, c, true);
    c.state.status = "paused";
    await this.deps.store.save(c);
    this.deps.events.publish("container", "pause", c.id, this.attrs(c));
  }

  async unpause(ref: string): Promise<void> {
    const c = this.get(ref);
    if (c.state.status !== "paused") throw new ConflictError(`Container ${c.id} is not paused`);
    await setFrozen(this.deps, c, false);
    c.state.status = "running";
    await this.deps.store.save(c);
    this.deps.events.publish("container", "unpause", c.id, this.attrs(c));
  }

  async top(ref: string, psArgs: string): Promise<{ Titles: string[]; Processes: string[][] }> {
    const c = this.get(ref);
    if (!isRunning(c.state.status)) throw new ConflictError(`Container ${c.id} is not running`);
    return topProcesses(await containerPids(this.deps, c), psArgs);
  }

  resize(ref: string, h: number, w: number): void {
    const c = this.get(ref);
    const conn = this.live.get(c.id)?.conn;
    if (!conn) throw new ConflictError(`Container ${c.id} is not running`);
    conn.resize(h, w);
  }

  /** Daemon shutdown without live-restore: stop every running container in parallel, each with its own timeout. */
  /** Daemon shutdown: each container gets its stop timeout, at most `shutdownTimeout` seconds (dockerd's shutdown-timeout). */
  async stopAll(shutdownTimeout = 15): Promise<void> {
    const running = this.deps.store.all().filter((c) => isRunning(c.state.status));
    await Promise.allSettled(running.map((c) => this.stop(c.id, { timeout: Math.min(c.config.StopTimeout ?? 10, shutdownTimeout), byUser: false })));
  }

  /** Containers using an image (for rmi's conflict check). */
  usingImage(imageId: string): ContainerRecord | undefined {
    return this.deps.store.all().find((c) => c.imageId === imageId);
  }
}

/** "restarting" without a process: the exit was recorded, a restart is pending (or starting). */
function exitHandled(c: ContainerRecord): boolean {
  return c.state.status === "restarting" && !(c.state.pid > 0);
}
