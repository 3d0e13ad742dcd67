// The journald driver: journald's native protocol (one datagram per entry on
// /run/systemd/journal/socket) with dockerd's fields.
import { randomBytes } from "node:crypto";
import { formatTimeNano } from "../local-record.js";
import type { LogSink, OutRecord } from "../sink.js";
import { UnixDgramTransport } from "./transport.js";

export const JOURNAL_SOCKET = "/run/systemd/journal/socket";

/** dockerd's key rule for extra attributes: upper case, A-Z 0-9 _, no leading '_'. */
export function journalKey(s: string): string {
  let out = "";
  for (const ch of s) {
    let c = ch;
    if (c >= "a" && c <= "z") c = c.toUpperCase();
    else if (!((c >= "A" && c <= "Z") || (c >= "0" && c <= "9"))) c = "_";
    if (out === "" && c === "_") continue;
    out += c;
  }
  return out;
}

/** KEY=value\n, or the binary form (KEY\n, u64 LE length, value, \n) when the value holds a newline. */
export function journalField(key: string, value: Buffer | string): Buffer {
  const v = typeof value === "string" ? Buffer.from(value) : value;
  if (!v.includes(10)) return Buffer.concat([Buffer.from(`${key}=`), v, Buffer.from("\n")]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(v.length));
  return Buffer.concat([Buffer.from(`${key}\n`), len, v, Buffer.from("\n")]);
}

export class JournaldSink implements LogSink {
  private readonly transport: UnixDgramTransport;
  private readonly fixed: Buffer;
  private ordinal = 0;

  /** `vars`: CONTAINER_ID, CONTAINER_NAME, CONTAINER_TAG, IMAGE_NAME, SYSLOG_IDENTIFIER and the extra attributes. */
  constructor(vars: Record<string, string>, socketPath = JOURNAL_SOCKET) {
    this.transport = new UnixDgramTransport(socketPath);
    const epoch = randomBytes(32).toString("hex");
    this.fixed = Buffer.concat(Object.entries({ ...vars, CONTAINER_LOG_EPOCH: epoch }).map(([k, v]) => journalField(k, v)));
  }

  async open(): Promise<void> {
    try {
      await this.transport.connect();
    } catch {
      throw new Error("journald is not enabled on this host");
    }
  }

  async send(batch: OutRecord[]): Promise<void> {
    for (const r of batch) {
      const parts = [
        journalField("MESSAGE", r.line),
        journalField("PRIORITY", r.stream === "stderr" ? "3" : "6"),
        journalField("SYSLOG_TIMESTAMP", formatTimeNano(r.timeNano)),
        journalField("CONTAINER_LOG_ORDINAL", String(++this.ordinal)),
        this.fixed,
      ];
      if (r.partial) parts.push(journalField("CONTAINER_PARTIAL_MESSAGE", "true"));
      await this.transport.write(Buffer.concat(parts));
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
