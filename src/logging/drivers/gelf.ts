// The gelf driver: GELF 1.1 messages with dockerd's fields, over UDP (gzip,
// zlib or no compression; chunked above 1420 bytes) or TCP (null-terminated).
import { randomBytes } from "node:crypto";
import os from "node:os";
import { deflateSync, gzipSync } from "node:zlib";
import { parseGelfAddress } from "../log-config.js";
import type { LogSink, OutRecord } from "../sink.js";
import { StreamTransport, UdpTransport, type Transport } from "./transport.js";

const CHUNK_SIZE = 1420;
const CHUNK_DATA = CHUNK_SIZE - 12;
const MAX_CHUNKS = 128;

/** GELF's chunked UDP form of one (compressed) message. */
export function gelfChunks(msg: Buffer): Buffer[] {
  if (msg.length <= CHUNK_SIZE) return [msg];
  const count = Math.ceil(msg.length / CHUNK_DATA);
  if (count > MAX_CHUNKS) throw new Error(`gelf: message too large to send (${msg.length} bytes in ${count} chunks)`);
  const id = randomBytes(8);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const head = Buffer.from([0x1e, 0x0f, ...id, i, count]);
    out.push(Buffer.concat([head, msg.subarray(i * CHUNK_DATA, (i + 1) * CHUNK_DATA)]));
  }
  return out;
}

export class GelfSink implements LogSink {
  private readonly transport: Transport;
  private readonly udp: boolean;
  private readonly compression: "gzip" | "zlib" | "none";
  private readonly level: number;
  private readonly hostname = os.hostname();

  /** `extra`: _container_id, _container_name, _image_id, _image_name, _command, _tag, _created and the extra attributes. */
  constructor(private readonly opts: Record<string, string>, private readonly extra: Record<string, string>) {
    const a = parseGelfAddress(opts["gelf-address"]);
    this.udp = a.proto === "udp";
    this.transport = this.udp ? new UdpTransport(a.host, a.port) : new StreamTransport({ kind: "tcp", host: a.host, port: a.port });
    this.compression = (opts["gelf-compression-type"] as "gzip" | "zlib" | "none") ?? "gzip";
    this.level = opts["gelf-compression-level"] !== undefined ? Number(opts["gelf-compression-level"]) : 1;
  }

  async open(): Promise<void> {
    try {
      await this.transport.connect();
    } catch (err) {
      const a = this.opts["gelf-address"].replace(/^\w+:\/\//, "");
      throw new Error(`gelf: cannot connect to GELF endpoint: ${a} ${(err as Error).message}`);
    }
  }

  private message(r: OutRecord): Buffer {
    const ms = Number(r.timeNano / 1_000_000n);
    return Buffer.from(JSON.stringify({
      version: "1.1",
      host: this.hostname,
      short_message: r.line.toString("utf8"),
      timestamp: ms / 1000,
      level: r.stream === "stderr" ? 3 : 6,
      ...this.extra,
    }));
  }

  private encode(json: Buffer): Buffer {
    const level = this.level < 0 ? undefined : this.level;
    if (this.compression === "gzip") return gzipSync(json, { level });
    if (this.compression === "zlib") return deflateSync(json, { level });
    return json;
  }

  async send(batch: OutRecord[]): Promise<void> {
    const msgs = batch.filter((r) => r.line.length > 0).map((r) => this.message(r));
    if (!this.udp) {
      await this.transport.write(Buffer.concat(msgs.flatMap((m) => [m, Buffer.from([0])])));
      return;
    }
    for (const m of msgs) for (const chunk of gelfChunks(this.encode(m))) await this.transport.write(chunk);
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
