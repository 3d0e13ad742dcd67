import { stdcopyFrame } from "../../lib/stdcopy.js";
import type { Duplex } from "node:stream";
import type { ShimConnection, ExitInfo } from "../../runtime/shim/shim-client.js";
import { DetachKeyScanner } from "../attach/detach-keys.js";

/** One attached client stream (POST /containers/{id}/attach). */
export interface Attachment {
  socket: Duplex;
  stdout: boolean;
  stderr: boolean;
  stdin: boolean;
  /** TTY streams are raw; otherwise frames carry Docker's 8-byte stdcopy header. */
  tty: boolean;
}

type ExitListener = (exit: ExitInfo) => void;

/**
 * The in-memory, runtime side of a container: its shim connection, attached
 * clients, stdin buffered before start, and waiters. Nothing here is
 * persisted: after a daemon restart it is rebuilt by reconnecting to the shim.
 */
export class LiveContainer {
  conn?: ShimConnection;
  readonly attachments = new Set<Attachment>();
  private pendingStdin: Buffer[] = [];
  private pendingStdinClosed = false;
  private exitListeners = new Set<ExitListener>();
  private removedListeners = new Set<() => void>();
  /** Resolves when the current run's exit has been recorded. */
  stopping?: Promise<void>;

  writeStdin(data: Buffer): void {
    if (this.conn) this.conn.writeStdin(data);
    else this.pendingStdin.push(data);
  }

  closeStdin(): void {
    if (this.conn) this.conn.closeStdin();
    else this.pendingStdinClosed = true;
  }

  /** Wire a fresh shim connection: flush stdin written before start, fan output out to clients. */
  bind(conn: ShimConnection): void {
    this.conn = conn;
    conn.on("stdout", (b: Buffer) => this.broadcast(1, b));
    conn.on("stderr", (b: Buffer) => this.broadcast(2, b));
    for (const b of this.pendingStdin) conn.writeStdin(b);
    this.pendingStdin = [];
    if (this.pendingStdinClosed) conn.closeStdin();
    this.pendingStdinClosed = false;
  }

  unbind(): void {
    this.conn?.removeAllListeners("stdout");
    this.conn?.removeAllListeners("stderr");
    this.conn?.close();
    this.conn = undefined;
  }

  private blocked = new Set<Attachment>();

  private broadcast(stream: 1 | 2, data: Buffer): void {
    for (const a of this.attachments) {
      if ((stream === 1 && !a.stdout) || (stream === 2 && !a.stderr)) continue;
      if (!a.socket.writable) continue;
      if (!a.socket.write(a.tty ? data : stdcopyFrame(stream, data))) this.hold(a);
    }
  }

  /**
   * A slow attached client: stop reading from the monitor until it drains,
   * so nothing is lost and memory stays bounded (the monitor in turn stops
   * reading the container's output, like docker's attach).
   */
  private hold(a: Attachment): void {
    if (this.blocked.has(a)) return;
    this.blocked.add(a);
    this.conn?.pause();
    const release = () => {
      a.socket.off("drain", release);
      a.socket.off("close", release);
      this.blocked.delete(a);
      if (this.blocked.size === 0) this.conn?.resume();
    };
    a.socket.once("drain", release);
    a.socket.once("close", release);
  }

  /** End every attached stream (the container exited). */
  endAttachments(): void {
    for (const a of this.attachments) a.socket.end();
    this.attachments.clear();
  }

  /**
   * Wire one attached client: output to it (see broadcast), its input to the
   * container's stdin. On a TTY the detach sequence ends the attachment and
   * leaves the container running; otherwise the client's EOF closes stdin
   * when the container was created with StdinOnce (`docker run -i`).
   */
  attachClient(
    socket: Duplex,
    o: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean; detachKeys?: Buffer; closeStdinOnEnd: boolean; onDetach: () => void },
  ): void {
    const a: Attachment = { socket, stdin: o.stdin, stdout: o.stdout, stderr: o.stderr, tty: o.tty };
    this.attachments.add(a);
    const drop = () => this.attachments.delete(a);
    socket.on("close", drop);
    socket.on("error", drop);
    if (!a.stdin) {
      socket.on("data", () => undefined); // keep the stream flowing so 'end' and 'close' fire
      socket.resume(); // reading an upgrade body may have paused it explicitly; a 'data' listener alone does not undo that
      return;
    }
    const scanner = o.detachKeys ? new DetachKeyScanner(o.detachKeys) : undefined;
    socket.on("data", (b: Buffer) => {
      if (!scanner) return this.writeStdin(b);
      const { forward, detach } = scanner.push(b);
      if (forward.length) this.writeStdin(forward);
      if (detach) {
        drop();
        o.onDetach();
        socket.end();
      }
    });
    // As in dockerd, the client's EOF closes the process's stdin only without a TTY
    // (a TTY client's stream ends when it detaches; the terminal stays the process's).
    if (!scanner && o.closeStdinOnEnd) {
      // The client may have half-closed already, while the process was being started (docker's
      // CloseWrite right after the upgrade): that 'end' has been emitted and will not come again.
      if ((socket as { readableEnded?: boolean }).readableEnded) this.closeStdin();
      else socket.on("end", () => this.closeStdin());
    }
    socket.resume();
  }

  onNextExit(fn: ExitListener): () => void {
    this.exitListeners.add(fn);
    return () => this.exitListeners.delete(fn);
  }

  notifyExit(exit: ExitInfo): void {
    const ls = [...this.exitListeners];
    this.exitListeners.clear();
    for (const fn of ls) fn(exit);
  }

  onRemoved(fn: () => void): () => void {
    this.removedListeners.add(fn);
    return () => this.removedListeners.delete(fn);
  }

  notifyRemoved(): void {
    const ls = [...this.removedListeners];
    this.removedListeners.clear();
    for (const fn of ls) fn();
  }
}
