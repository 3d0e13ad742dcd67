/**
 * Daemon-side driver for wharf-shim, the per-container monitor.
 *
 * Lifecycle: spawnShim() starts a detached shim that creates the container
 * (or exec process) and resolves with its pid once the runtime has created
 * it. The shim then lives on its own: connectShim() may be called any number
 * of times, by this daemon or a restarted one. A container is started with
 * ShimConnection.start(); output arrives on subscribed connections; when the
 * process exits the shim writes <stateDir>/exit.json, sends an "exit" event
 * to every connection, and exits. readExitFile() reads that record later.
 */
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { readFile } from "node:fs/promises";
import { createConnection, type Socket } from "node:net";
import { join } from "node:path";
import type { Readable } from "node:stream";
import {
  encodeFrame, FrameDecoder, FRAME_CLOSE_STDIN, FRAME_EXIT, FRAME_LOG_ACK, FRAME_MAX_PAYLOAD, FRAME_REPLY,
  FRAME_RESIZE, FRAME_START, FRAME_STDERR, FRAME_STDIN, FRAME_STDOUT, FRAME_SUBSCRIBE,
  type Frame,
} from "./protocol.js";

export interface ShimSpawnOptions {
  shimPath: string;
  /** Runtime container id (in exec mode: the container the process joins). */
  id: string;
  bundle: string;
  /** Holds shim.sock, exit.json, pid, runtime.log, shim.log. Must exist. */
  stateDir: string;
  runtimePath: string;
  runtimeRoot: string;
  /** The container's log file; omitted for exec and the `none` driver. */
  log?: ShimLogOptions;
  tty: boolean;
  openStdin: boolean;
  /** OCI process JSON: exec mode instead of creating a container. */
  execProcessPath?: string;
  /** Mount an overlay on the bundle's root path for the container's lifetime. */
  rootfs?: { lowerDirs: string[]; upperDir: string; workDir: string };
}

/** How the monitor writes the container's output (see logfile.c). */
export interface ShimLogOptions {
  path: string;
  format: "json" | "local";
  /** Bytes; -1: never rotate. */
  maxSize: number;
  maxFile: number;
  compress: boolean;
  /** Written into every record (json-file "attrs", local LogAttr). */
  attrs?: Record<string, string>;
  /** A remote driver's spool: records carry sequence numbers. */
  seq?: boolean;
  /** Blocking delivery: records the monitor may write before the daemon acknowledges them. */
  block?: number;
}

export interface ExitInfo {
  exitCode: number;
  signal: number;
  finishedAt: string;
}

export function shimArgs(opts: ShimSpawnOptions): string[] {
  const args = ["--id", opts.id, "--bundle", opts.bundle, "--state-dir", opts.stateDir,
    "--runtime", opts.runtimePath, "--runtime-root", opts.runtimeRoot];
  const log = opts.log;
  if (log) {
    args.push("--log-path", log.path, "--log-format", log.format);
    if (log.maxSize > 0) args.push("--log-max-size", String(log.maxSize), "--log-max-file", String(log.maxFile));
    if (log.compress) args.push("--log-compress");
    for (const [k, v] of Object.entries(log.attrs ?? {})) args.push("--log-attr", `${k}=${v}`);
    if (log.seq) args.push("--log-seq");
    if (log.block) args.push("--log-block", String(log.block));
  }
  if (opts.tty) args.push("--tty");
  if (opts.openStdin) args.push("--stdin");
  if (opts.execProcessPath) args.push("--exec", opts.execProcessPath);
  if (opts.rootfs) {
    args.push("--rootfs-lower", opts.rootfs.lowerDirs.join(":"),
      "--rootfs-upper", opts.rootfs.upperDir, "--rootfs-work", opts.rootfs.workDir);
  }
  return args;
}

/**
 * Spawns the shim and waits for its sync line. Resolves with the container
 * (or exec) process pid; rejects with an Error whose message is the
 * runtime's own error (e.g. "executable file `/x` not found in $PATH").
 */
export function spawnShim(opts: ShimSpawnOptions): Promise<{ pid: number; shimPid: number }> {
  const child = spawn(opts.shimPath, shimArgs(opts), {
    detached: true,
    stdio: ["ignore", "ignore", "ignore", "pipe"],
  });
  const sync = child.stdio[3] as Readable;
  return new Promise((resolve, reject) => {
    let text = "";
    let settled = false;
    const settle = (err: Error | undefined, pid?: number): void => {
      if (settled) return;
      settled = true;
      sync.destroy();
      child.unref();
      if (err) reject(err);
      else resolve({ pid: pid!, shimPid: child.pid! });
    };
    const parse = (): void => {
      const line = text.split("\n")[0]!.trim();
      if (!line) {
        void shimLogTail(opts.stateDir).then((tail) =>
          settle(new Error(`wharf-shim exited without reporting a pid${tail ? `: ${tail}` : ""}`)));
        return;
      }
      try {
        const msg = JSON.parse(line) as { pid?: number; error?: string };
        if (typeof msg.pid === "number") settle(undefined, msg.pid);
        else settle(new Error(msg.error ?? `unexpected shim reply: ${line}`));
      } catch {
        settle(new Error(`unexpected shim reply: ${line}`));
      }
    };
    child.once("error", (err) => settle(new Error(`cannot run ${opts.shimPath}: ${err.message}`, { cause: err })));
    sync.setEncoding("utf8");
    sync.on("data", (chunk: string) => {
      text += chunk;
      if (text.includes("\n")) parse();
    });
    sync.on("error", () => {});
    sync.on("close", () => { if (!settled) parse(); });
  });
}

async function shimLogTail(stateDir: string): Promise<string> {
  const text = await readFile(join(stateDir, "shim.log"), "utf8").catch(() => "");
  return text.trim().split("\n").slice(-1)[0] ?? "";
}

/**
 * One connection to a shim. Events: "stdout"(Buffer), "stderr"(Buffer) — only
 * after subscribe() —, "exit"(ExitInfo), "close"(). Requests (start) are
 * answered in order; pending ones reject if the connection closes.
 */
export class ShimConnection extends EventEmitter {
  private readonly decoder = new FrameDecoder();
  private readonly replies: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];

  constructor(private readonly socket: Socket) {
    super();
    this.decoder.on("frame", (frame: Frame) => this.onFrame(frame));
    this.decoder.on("error", (err: Error) => socket.destroy(err));
    socket.on("data", (chunk: Buffer) => this.decoder.push(chunk));
    socket.on("error", () => {}); // "close" follows and reports it
    socket.on("close", () => {
      for (const r of this.replies.splice(0)) r.reject(new Error("connection to wharf-shim closed"));
      this.emit("close");
    });
  }

  private onFrame(frame: Frame): void {
    switch (frame.type) {
      case FRAME_STDOUT: this.emit("stdout", frame.payload); break;
      case FRAME_STDERR: this.emit("stderr", frame.payload); break;
      case FRAME_EXIT: this.emit("exit", JSON.parse(frame.payload.toString("utf8")) as ExitInfo); break;
      case FRAME_REPLY: {
        const waiter = this.replies.shift();
        const reply = JSON.parse(frame.payload.toString("utf8")) as { ok: boolean; error?: string };
        if (reply.ok) waiter?.resolve();
        else waiter?.reject(new Error(reply.error ?? "wharf-shim request failed"));
        break;
      }
      default: break;
    }
  }

  /** Stop reading output (back-pressure: the shim then stops reading the container's pipes). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Receive output frames from now on (an exec's earlier output is replayed once). */
  subscribe(): void {
    this.socket.write(encodeFrame(FRAME_SUBSCRIBE));
  }

  /** Starts the created container (a no-op for exec); rejects with the runtime's error. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.replies.push({ resolve, reject });
      this.socket.write(encodeFrame(FRAME_START));
    });
  }

  /** Queues stdin bytes; returns false when the caller should wait for "drain". */
  writeStdin(data: Buffer): boolean {
    let ok = true;
    for (let off = 0; off < data.length; off += FRAME_MAX_PAYLOAD) {
      ok = this.socket.write(encodeFrame(FRAME_STDIN, data.subarray(off, off + FRAME_MAX_PAYLOAD)));
    }
    return ok;
  }

  /** EOF on the container's stdin (for a TTY: sends ^D). */
  closeStdin(): void {
    this.socket.write(encodeFrame(FRAME_CLOSE_STDIN));
  }

  /** Tell the monitor the log spool is delivered up to record `seq` (blocking delivery waits for this). */
  ackLog(seq: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(seq));
    this.socket.write(encodeFrame(FRAME_LOG_ACK, b));
  }

  resize(h: number, w: number): void {
    this.socket.write(encodeFrame(FRAME_RESIZE, JSON.stringify({ h, w })));
  }

  /** Closes this connection after queued frames are sent; the shim keeps running. */
  close(): void {
    this.socket.end();
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }
}

/** Connects to <stateDir>/shim.sock; rejects (ENOENT/ECONNREFUSED) once the shim is gone. */
export function connectShim(stateDir: string): Promise<ShimConnection> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(join(stateDir, "shim.sock"));
    const onError = (err: Error): void => reject(err);
    socket.once("error", onError);
    socket.once("connect", () => {
      socket.off("error", onError);
      resolve(new ShimConnection(socket));
    });
  });
}

/** The exit record the shim wrote, or undefined if the process has not exited. */
export async function readExitFile(stateDir: string): Promise<ExitInfo | undefined> {
  let text: string;
  try {
    text = await readFile(join(stateDir, "exit.json"), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return JSON.parse(text) as ExitInfo;
}
