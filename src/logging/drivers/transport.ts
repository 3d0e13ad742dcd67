// Byte transports the remote drivers write to: stream sockets (tcp, tls,
// unix) that reconnect after a failure, and datagram sockets (udp, unixgram).
import dgram from "node:dgram";
import { promises as fs } from "node:fs";
import net from "node:net";
import tls from "node:tls";
import { createRequire } from "node:module";

export interface Transport {
  /** Connects if needed; rejects with the connect error (Go's wording). */
  connect(): Promise<void>;
  /** One message (datagrams) or a run of bytes (streams); resolves once the kernel took it. */
  write(data: Buffer): Promise<void>;
  close(): void;
}

export type StreamTarget = { kind: "tcp"; host: string; port: number } | { kind: "unix"; path: string } | { kind: "tls"; host: string; port: number; tls: tls.ConnectionOptions };

function goDialError(target: StreamTarget, err: NodeJS.ErrnoException): Error {
  const what = target.kind === "unix" ? `unix ${target.path}` : `tcp ${target.host}:${target.port}`;
  const why = err.code === "ECONNREFUSED" ? "connect: connection refused" : err.code === "ENOENT" ? "connect: no such file or directory" : err.message;
  return new Error(`dial ${what}: ${why}`);
}

/** A stream socket; the next write after an error reconnects. */
export class StreamTransport implements Transport {
  private sock?: net.Socket;
  private connecting?: Promise<net.Socket>;
  /** Bytes the receiver sent back (fluentd acks). */
  onData?: (b: Buffer) => void;

  constructor(private readonly target: StreamTarget, private readonly timeoutMs = 10_000) {}

  async connect(): Promise<void> {
    await this.socket();
  }

  private socket(): Promise<net.Socket> {
    if (this.sock && !this.sock.destroyed) return Promise.resolve(this.sock);
    this.connecting ??= new Promise<net.Socket>((resolve, reject) => {
      const t = this.target;
      const s = t.kind === "unix" ? net.createConnection(t.path) : t.kind === "tcp" ? net.createConnection(t.port, t.host) : tls.connect({ ...t.tls, host: t.host, port: t.port });
      const timer = setTimeout(() => s.destroy(Object.assign(new Error("i/o timeout"), { code: "ETIMEDOUT" })), this.timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(goDialError(t, err as NodeJS.ErrnoException));
      };
      s.once("error", fail);
      s.once(t.kind === "tls" ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        s.off("error", fail);
        s.on("error", () => s.destroy());
        s.on("data", (b: Buffer) => this.onData?.(b));
        s.setNoDelay(true);
        this.sock = s;
        resolve(s);
      });
    }).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async write(data: Buffer): Promise<void> {
    const s = await this.socket();
    await new Promise<void>((resolve, reject) => {
      const onClose = () => reject(new Error("connection closed by the receiver"));
      s.once("close", onClose);
      s.write(data, (err) => {
        s.off("close", onClose);
        if (err) {
          s.destroy();
          reject(err);
        } else resolve();
      });
    });
  }

  close(): void {
    this.sock?.end();
    this.sock = undefined;
  }
}

export class UdpTransport implements Transport {
  private sock?: dgram.Socket;

  constructor(private readonly host: string, private readonly port: number) {}

  async connect(): Promise<void> {
    if (this.sock) return;
    const s = dgram.createSocket(net.isIPv6(this.host) ? "udp6" : "udp4");
    s.on("error", () => undefined);
    this.sock = s;
  }

  async write(data: Buffer): Promise<void> {
    await this.connect();
    await new Promise<void>((resolve, reject) => this.sock!.send(data, this.port, this.host, (err) => (err ? reject(err) : resolve())));
  }

  close(): void {
    this.sock?.close();
    this.sock = undefined;
  }
}

interface UnixDgramSocket {
  on(ev: "error", fn: (e: Error) => void): void;
  on(ev: "writable" | "connect", fn: () => void): void;
  on(ev: "congestion", fn: (b: Buffer) => void): void;
  connect(path: string): void;
  send(buf: Buffer, cb?: (err?: Error & { code?: number }) => void): void;
  close(): void;
}

/** unix datagram sockets (journald, /dev/log): Node has none, the unix-dgram addon provides them. */
export class UnixDgramTransport implements Transport {
  private sock?: UnixDgramSocket;
  private writable?: () => void;

  constructor(private readonly path: string) {}

  async connect(): Promise<void> {
    if (this.sock) return;
    const st = await fs.stat(this.path).catch(() => undefined);
    if (!st?.isSocket()) throw new Error(`dial unixgram ${this.path}: connect: no such file or directory`);
    const unix = createRequire(import.meta.url)("unix-dgram") as { createSocket(type: "unix_dgram"): UnixDgramSocket };
    const s = unix.createSocket("unix_dgram");
    let error: Error | undefined;
    s.on("error", (e) => (error = e));
    s.on("writable", () => this.writable?.());
    s.connect(this.path);
    if (error) {
      s.close();
      throw new Error(`dial unixgram ${this.path}: ${error.message}`);
    }
    this.sock = s;
  }

  async write(data: Buffer): Promise<void> {
    await this.connect();
    for (;;) {
      const r = await new Promise<"ok" | "again">((resolve, reject) =>
        this.sock!.send(data, (err) => {
          if (!err) return resolve("ok");
          // The receiver's queue is full (EAGAIN): not sent; the addon emits "writable" when it drains.
          if (err.message === "congestion") return resolve("again");
          this.close();
          reject(new Error(`write unixgram ${this.path}: ${err.message}`));
        }),
      );
      if (r === "ok") return;
      await new Promise<void>((res) => {
        this.writable = res;
        setTimeout(res, 100);
      });
    }
  }

  close(): void {
    try {
      this.sock?.close();
    } catch {
      /* closed */
    }
    this.sock = undefined;
  }
}
