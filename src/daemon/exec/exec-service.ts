import { promises as fs } from "node:fs";
import path from "node:path";
import type { Duplex } from "node:stream";
import { ConflictError, InvalidArgumentError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { spawnShim, connectShim, readExitFile, type ExitInfo } from "../../runtime/shim/shim-client.js";
import { LiveContainer } from "../containers/live.js";
import type { ContainerService } from "../containers/container-service.js";
import { stateDir } from "../containers/start.js";
import { describeStartError } from "../containers/runtime-errors.js";
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from "../attach/detach-keys.js";
import { buildExecProcess } from "./exec-process.js";
import { ExecStore, type ExecConfig, type ExecRecord } from "./exec-store.js";

const KEEP_FINISHED_MS = 10 * 60_000;

/** `docker exec`: extra processes in a running container, each under its own monitor. */
export class ExecService {
  readonly store = new ExecStore();
  /** Running execs' stdio plumbing, for resize. */
  private readonly running = new Map<string, LiveContainer>();

  constructor(private readonly containers: ContainerService) {}

  private get deps() {
    return this.containers.deps;
  }

  async create(ref: string, body: unknown): Promise<{ Id: string }> {
    const cfg = (body ?? {}) as ExecConfig;
    const c = this.containers.get(ref);
    if (c.state.status === "paused") throw new ConflictError(`Container ${c.id} is paused, unpause the container before exec`);
    if (c.state.status !== "running") throw new ConflictError(`container ${c.id} is not running`);
    if (!Array.isArray(cfg?.Cmd) || cfg.Cmd.length === 0) throw new InvalidArgumentError("No exec command specified");
    if (cfg.DetachKeys) parseDetachKeys(cfg.DetachKeys);
    const size = cfg.ConsoleSize;
    if (size != null && (!Array.isArray(size) || size.length !== 2 || !size.every((n) => Number.isInteger(n) && n >= 0))) {
      throw new InvalidArgumentError("invalid ConsoleSize: expected [height, width] as two non-negative integers");
    }
    const id = newId();
    this.store.add({ id, containerId: c.id, config: cfg, running: false, started: false, exitCode: null, pid: 0 });
    this.deps.events.publish("container", `exec_create: ${cfg.Cmd.join(" ")}`, c.id, this.attrs(c.id, { execID: id }));
    return { Id: id };
  }

  private attrs(containerId: string, extra: Record<string, string> = {}): Record<string, string> {
    const c = this.deps.store.find(containerId);
    return c ? { ...(c.config.Labels ?? {}), image: c.image, name: c.name.slice(1), ...extra } : extra;
  }

  private execDir(e: ExecRecord): string {
    // Short: the monitor's socket path must stay under 108 bytes.
    return path.join(this.deps.execRoot, `x-${e.id.slice(0, 16)}`);
  }

  /**
   * Start an exec. With a socket (attached), output goes to it (framed unless
   * TTY) and stdin comes from it; the promise resolves when the process exits.
   * Detached, it resolves once the process runs.
   */
  async start(execId: string, opts: { detach: boolean; tty?: boolean; consoleSize?: [number, number]; socket?: Duplex }): Promise<void> {
    const e = this.store.claim(execId);
    const c = this.containers.get(e.containerId);
    if (c.state.status !== "running") {
      e.started = false;
      throw new ConflictError(`container ${c.id} is not running`);
    }
    const cfg = e.config;
    // As in dockerd: the exec's own Tty (from create) gives the process a terminal;
    // the start request's Tty only decides whether the output stream is framed.
    const tty = !!cfg.Tty;
    const rawOutput = !!opts.tty;
    const consoleSize = opts.consoleSize ?? cfg.ConsoleSize ?? undefined;
    const dir = this.execDir(e);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const bundle = stateDir(this.deps, c.id);
    const proc = await buildExecProcess(bundle, c.layers?.mergedDir ?? path.join(bundle, "rootfs"), { ...cfg, Tty: tty, ConsoleSize: consoleSize });
    const processPath = path.join(dir, "process.json");
    await fs.writeFile(processPath, JSON.stringify(proc));
    const runtime = this.deps.runtimes[c.runtime] ?? this.deps.runtimes[this.deps.defaultRuntime];
    const attachStdin = !!cfg.AttachStdin && !!opts.socket && !opts.detach;
    try {
      ({ pid: e.pid } = await spawnShim({
        shimPath: this.deps.shimPath,
        id: c.id,
        bundle,
        stateDir: dir,
        runtimePath: runtime.path,
        runtimeRoot: path.join(this.deps.execRoot, "runtime-" + runtime.name),
        tty,
        openStdin: attachStdin,
        execProcessPath: processPath,
      }));
    } catch (err) {
      e.exitCode = 126;
      e.expiresAt = Date.now() + KEEP_FINISHED_MS;
      await fs.rm(dir, { recursive: true, force: true });
      throw new ConflictError(describeStartError((err as Error).message, cfg.Cmd[0]).message.replace("failed to create task for container: ", ""));
    }
    e.running = true;
    const conn = await connectShim(dir);
    const exited = new Promise<ExitInfo>((resolve) => conn.once("exit", resolve));
    const closed = new Promise<void>((resolve) => conn.once("close", () => resolve()));
    // An exec's stdio works like a container attach: the same fan-out, back-pressure and detach keys.
    const live = new LiveContainer();
    live.bind(conn);
    this.running.set(e.id, live);
    const sock = opts.detach ? undefined : opts.socket;
    if (sock) {
      live.attachClient(sock, {
        stdin: attachStdin,
        stdout: cfg.AttachStdout !== false,
        stderr: cfg.AttachStderr !== false,
        tty: rawOutput,
        detachKeys: tty ? parseDetachKeys(cfg.DetachKeys || DEFAULT_DETACH_KEYS) : undefined,
        closeStdinOnEnd: true,
        onDetach: () => undefined,
      });
      sock.on("error", () => undefined);
    }
    conn.subscribe();
    await conn.start();
    this.deps.events.publish("container", `exec_start: ${cfg.Cmd.join(" ")}`, c.id, this.attrs(c.id, { execID: e.id }));
    const finish = (async () => {
      // A fast process can exit and its monitor close the socket before the exit frame is read:
      // exit.json holds the same record (126 only when there is none at all).
      const exit = (await Promise.race([exited, closed.then(() => undefined)])) ?? (await readExitFile(dir).catch(() => undefined));
      e.running = false;
      e.exitCode = exit?.exitCode ?? 126;
      e.expiresAt = Date.now() + KEEP_FINISHED_MS;
      this.running.delete(e.id);
      live.unbind();
      this.deps.events.publish("container", "exec_die", c.id, this.attrs(c.id, { execID: e.id, exitCode: String(e.exitCode) }));
      live.endAttachments();
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    })();
    if (!opts.detach) await finish;
  }

  /** Throws 404/409 before a route hijacks the connection. */
  check(execId: string): void {
    const e = this.store.get(execId);
    if (e.started) throw new ConflictError(`Error: Exec command ${execId} has already run`);
    const c = this.containers.get(e.containerId);
    if (c.state.status !== "running") throw new ConflictError(`container ${c.id} is not running`);
  }

  resize(execId: string, h: number, w: number): void {
    const e = this.store.get(execId);
    const conn = this.running.get(e.id)?.conn;
    if (!conn) throw new ConflictError(`exec ${execId} is not running`);
    conn.resize(h, w);
  }

  inspect(execId: string): Record<string, unknown> {
    const e = this.store.get(execId);
    const cfg = e.config;
    return {
      CanRemove: false,
      ContainerID: e.containerId,
      DetachKeys: cfg.DetachKeys ?? "",
      ExitCode: e.exitCode,
      ID: e.id,
      OpenStderr: !!cfg.AttachStderr,
      OpenStdin: !!cfg.AttachStdin,
      OpenStdout: !!cfg.AttachStdout,
      ProcessConfig: { arguments: cfg.Cmd.slice(1), entrypoint: cfg.Cmd[0], privileged: !!cfg.Privileged, tty: !!cfg.Tty, user: cfg.User ?? "" },
      Running: e.running,
      Pid: e.pid,
    };
  }
}
