// One interface over both on-disk formats: split a byte stream into records,
// decode a record into an entry.
import { decodeLogLine } from "./json-record.js";
import { decodeLocalEntry, formatTimeNano } from "./local-record.js";

export type LogFormat = "json" | "local";

export interface LogRecord {
  /** The bytes as `docker logs` shows them: the line with its newline unless partial. */
  log: Buffer;
  stream: "stdout" | "stderr";
  /** RFC 3339 with nanoseconds, UTC. */
  time: string;
  /** Spool sequence number (0 outside a spool). */
  seq: number;
  partial: boolean;
  /** The time in ms, for since/until. */
  ms(): number;
}

const NL = Buffer.from("\n");

export function decodeRecord(format: LogFormat, raw: Buffer): LogRecord | undefined {
  if (format === "json") {
    const e = decodeLogLine(raw);
    if (!e) return undefined;
    const partial = e.log.length === 0 || e.log[e.log.length - 1] !== 0x0a;
    return { log: e.log, stream: e.stream, time: e.time, seq: 0, partial, ms: () => Date.parse(e.time) };
  }
  const e = decodeLocalEntry(raw.subarray(4, raw.length - 4));
  if (!e) return undefined;
  const ns = e.timeNano;
  return {
    log: e.partial ? e.line : Buffer.concat([e.line, NL]),
    stream: e.stream,
    get time() {
      return formatTimeNano(ns);
    },
    seq: e.seq,
    partial: e.partial,
    ms: () => Number(ns / 1_000_000n),
  };
}

/** The largest record either format may hold (a 16 KiB line, escaped, plus attributes). */
const MAX_RECORD = 1 << 20;

/**
 * Cuts a stream into whole records (json: one line without its '\n'; local:
 * the framed record), keeping a torn tail for the next chunk.
 */
export class RecordSplitter {
  private rest: Buffer = Buffer.alloc(0);

  constructor(private readonly format: LogFormat) {}

  /** Calls onRecord for each whole record; stops early (returns false) when it returns false. */
  push(chunk: Buffer, onRecord: (raw: Buffer) => boolean): boolean {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let pos = 0;
    if (this.format === "json") {
      for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
        const raw = buf.subarray(pos, nl);
        pos = nl + 1;
        if (raw.length && !onRecord(raw)) return this.keep(buf, pos), false;
      }
    } else {
      while (buf.length - pos >= 8) {
        const size = buf.readUInt32BE(pos);
        if (size > MAX_RECORD) {
          pos++; // not a record boundary (a torn write): resynchronise byte by byte
          continue;
        }
        if (buf.length - pos < size + 8) break;
        const raw = buf.subarray(pos, pos + size + 8);
        pos += size + 8;
        if (raw.readUInt32BE(size + 4) !== size) continue;
        if (!onRecord(raw)) return this.keep(buf, pos), false;
      }
    }
    this.keep(buf, pos);
    return true;
  }

  private keep(buf: Buffer, pos: number): void {
    this.rest = pos >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
  }

  /** Bytes of a torn record held back. */
  get pending(): number {
    return this.rest.length;
  }
}
