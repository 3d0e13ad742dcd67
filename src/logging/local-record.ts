// Records of dockerd's `local` log format (also its dual-logging cache and
// wharf's spool): u32 big-endian size, a protobuf LogEntry, the size again.
//   1 source (string)  2 time_nano (int64)  3 line (bytes, no trailing \n)
//   4 partial (bool)   6 attrs (repeated {1 key, 2 value})
//   15 seq (uint64): wharf's spool only; readers that do not know it skip it.

export interface LocalEntry {
  stream: "stdout" | "stderr";
  timeNano: bigint;
  /** The line without its newline. */
  line: Buffer;
  partial: boolean;
  attrs: Record<string, string>;
  seq: number;
}

function varint(b: Buffer, pos: { i: number }): bigint {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    if (pos.i >= b.length) throw new Error("truncated varint");
    const c = b[pos.i++];
    v |= BigInt(c & 0x7f) << shift;
    if (!(c & 0x80)) return v;
    shift += 7n;
  }
}

/** Fast path for small varints (field tags, lengths). */
function smallVarint(b: Buffer, pos: { i: number }): number {
  const c = b[pos.i];
  if (c !== undefined && c < 0x80) {
    pos.i++;
    return c;
  }
  return Number(varint(b, pos));
}

function decodeAttr(b: Buffer): [string, string] {
  const pos = { i: 0 };
  let k = "";
  let v = "";
  while (pos.i < b.length) {
    const tag = smallVarint(b, pos);
    const len = smallVarint(b, pos);
    const s = b.toString("utf8", pos.i, pos.i + len);
    pos.i += len;
    if (tag >> 3 === 1) k = s;
    else if (tag >> 3 === 2) v = s;
  }
  return [k, v];
}

/** Decode one LogEntry message (without the size framing); undefined if it is not one. */
export function decodeLocalEntry(msg: Buffer): LocalEntry | undefined {
  const e: LocalEntry = { stream: "stdout", timeNano: 0n, line: Buffer.alloc(0), partial: false, attrs: {}, seq: 0 };
  const pos = { i: 0 };
  try {
    while (pos.i < msg.length) {
      const tag = smallVarint(msg, pos);
      const field = tag >> 3;
      const wire = tag & 7;
      if (wire === 0) {
        const v = varint(msg, pos);
        if (field === 2) e.timeNano = BigInt.asIntN(64, v);
        else if (field === 4) e.partial = v !== 0n;
        else if (field === 15) e.seq = Number(v);
      } else if (wire === 2) {
        const len = smallVarint(msg, pos);
        const body = msg.subarray(pos.i, pos.i + len);
        if (body.length !== len) return undefined;
        pos.i += len;
        if (field === 1) {
          const s = body.toString("latin1");
          if (s !== "stdout" && s !== "stderr") return undefined;
          e.stream = s;
        } else if (field === 3) e.line = body;
        else if (field === 6) {
          const [k, v] = decodeAttr(body);
          e.attrs[k] = v;
        }
      } else if (wire === 1) pos.i += 8;
      else if (wire === 5) pos.i += 4;
      else return undefined;
    }
  } catch {
    return undefined;
  }
  return e;
}

function putVarint(out: number[], v: bigint | number): void {
  let x = BigInt(v);
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
}

/** Encode a framed record (tests, and tools that write the format). */
export function encodeLocalRecord(e: Partial<LocalEntry> & { line: Buffer }): Buffer {
  const parts: Buffer[] = [];
  const head: number[] = [];
  const bytes = (field: number, b: Buffer) => {
    const h: number[] = [];
    putVarint(h, (field << 3) | 2);
    putVarint(h, b.length);
    parts.push(Buffer.from(h), b);
  };
  bytes(1, Buffer.from(e.stream ?? "stdout"));
  putVarint(head, 2 << 3);
  putVarint(head, BigInt.asUintN(64, e.timeNano ?? 0n));
  parts.push(Buffer.from(head));
  bytes(3, e.line);
  if (e.partial) parts.push(Buffer.from([4 << 3, 1]));
  for (const [k, v] of Object.entries(e.attrs ?? {})) {
    const a: Buffer[] = [];
    for (const [f, s] of [[1, k], [2, v]] as const) {
      const h: number[] = [];
      putVarint(h, (f << 3) | 2);
      putVarint(h, Buffer.byteLength(s));
      a.push(Buffer.from(h), Buffer.from(s));
    }
    bytes(6, Buffer.concat(a));
  }
  if (e.seq) {
    const s: number[] = [];
    putVarint(s, 15 << 3);
    putVarint(s, e.seq);
    parts.push(Buffer.from(s));
  }
  const body = Buffer.concat(parts);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length);
  return Buffer.concat([size, body, size]);
}

/** RFC 3339 with nine fraction digits in UTC, as json-file writes it. */
export function formatTimeNano(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, "0");
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}
