// The fluentd driver: Fluentd's forward protocol (MessagePack) over tcp or a
// unix socket, with dockerd's record fields. A batch goes as one Forward-mode
// message; with fluentd-request-ack the receiver's {"ack": chunk} confirms it.
import { Encoder, decodeMulti, ExtData } from "@msgpack/msgpack";
import { randomBytes } from "node:crypto";
import { parseGoDuration } from "../../lib/filters.js";
import { parseFluentdAddress } from "../log-config.js";
import type { LogSink, OutRecord } from "../sink.js";
import { StreamTransport } from "./transport.js";

const truthy = (v: string | undefined) => ["1", "t", "T", "true", "TRUE", "True"].includes(v ?? "");

/** Fluentd's EventTime (ext type 0): seconds and nanoseconds, big-endian. */
function eventTime(ns: bigint): ExtData {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(Number(ns / 1_000_000_000n));
  b.writeUInt32BE(Number(ns % 1_000_000_000n), 4);
  return new ExtData(0, b);
}

export class FluentdSink implements LogSink {
  private readonly transport: StreamTransport;
  private readonly encoder = new Encoder();
  private readonly async: boolean;
  private readonly requestAck: boolean;
  private readonly subSecond: boolean;
  private readonly writeTimeoutMs: number;
  private acks = new Map<string, () => void>();
  private inbox: Buffer = Buffer.alloc(0);

  /** `fields`: container_id, container_name and the extra attributes, sent with every record. */
  constructor(opts: Record<string, string>, private readonly tag: string, private readonly fields: Record<string, string>) {
    const a = parseFluentdAddress(opts["fluentd-address"]);
    this.transport = new StreamTransport(a.proto === "unix" ? { kind: "unix", path: a.path } : { kind: "tcp", host: a.host, port: a.port });
    this.async = truthy(opts["fluentd-async"]);
    this.requestAck = truthy(opts["fluentd-request-ack"]);
    this.subSecond = truthy(opts["fluentd-sub-second-precision"]);
    this.writeTimeoutMs = opts["fluentd-write-timeout"] ? parseGoDuration(opts["fluentd-write-timeout"]) ?? 0 : 0;
    this.transport.onData = (b) => this.onAck(b);
  }

  /** Without fluentd-async, the container does not start unless fluentd answers (as dockerd). */
  async open(): Promise<void> {
    if (!this.async) await this.transport.connect();
  }

  private onAck(b: Buffer): void {
    this.inbox = Buffer.concat([this.inbox, b]);
    try {
      for (const msg of decodeMulti(this.inbox)) {
        const id = (msg as { ack?: string })?.ack;
        if (id) this.acks.get(id)?.();
      }
      this.inbox = Buffer.alloc(0);
    } catch {
      /* a partial ack: wait for the rest */
    }
  }

  private record(r: OutRecord): Record<string, string> {
    const rec: Record<string, string> = { ...this.fields, source: r.stream, log: r.line.toString("utf8") };
    if (r.partial) rec.partial_message = "true";
    return rec;
  }

  async send(batch: OutRecord[]): Promise<void> {
    const entries = batch.map((r) => [this.subSecond ? eventTime(r.timeNano) : Number(r.timeNano / 1_000_000_000n), this.record(r)]);
    const option: Record<string, unknown> = { size: entries.length };
    const chunk = this.requestAck ? randomBytes(16).toString("base64") : undefined;
    if (chunk) option.chunk = chunk;
    const payload = Buffer.from(this.encoder.encode([this.tag, entries, option]));
    const acked = chunk ? new Promise<void>((resolve) => this.acks.set(chunk, resolve)) : undefined;
    try {
      const write = this.transport.write(payload);
      await (this.writeTimeoutMs ? Promise.race([write, timeout(this.writeTimeoutMs, "fluent#write: i/o timeout")]) : write);
      if (acked) await Promise.race([acked, timeout(Math.max(this.writeTimeoutMs, 10_000), "fluent#send: no ack from fluentd")]);
    } catch (err) {
      this.transport.close();
      throw err;
    } finally {
      if (chunk) this.acks.delete(chunk);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

function timeout(ms: number, msg: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(msg)), ms).unref());
}
