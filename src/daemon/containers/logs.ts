import { stdcopyHeader } from "../../lib/stdcopy.js";
import { createReadStream, promises as fs, watch } from "node:fs";
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import { InvalidArgumentError } from "../../lib/errors.js";
import { parseTimestamp } from "../../lib/filters.js";
import { decodeLogLine, type LogEntry } from "./json-log-decode.js";

export interface LogOptions {
  stdout: boolean;
  stderr: boolean;
  follow: boolean;
  timestamps: boolean;
  tail?: number; // undefined = all
  since?: number; // ms
  until?: number; // ms
  tty: boolean;
}

export function parseLogOptions(q: { stdout: boolean; stderr: boolean; follow: boolean; timestamps: boolean; tail?: string; since?: string; until?: string }, tty: boolean): LogOptions {
  if (!q.stdout && !q.stderr) throw new InvalidArgumentError("Bad parameters: you must choose at least one stream");
  let tail: number | undefined;
  if (q.tail !== undefined && q.tail !== "" && q.tail !== "all") {
    tail = Number(q.tail);
    if (!Number.isInteger(tail)) throw new InvalidArgumentError(`invalid value for "tail": ${q.tail}`);
    if (tail < 0) tail = undefined;
  }
  const since = q.since && q.since !== "0" ? parseTimestamp(q.since) : undefined;
  const until = q.until && q.until !== "0" ? parseTimestamp(q.until) : undefined;
  return { stdout: q.stdout, stderr: q.stderr, follow: q.follow, timestamps: q.timestamps, tail, since, until, tty };
}

/** Encode one entry for the wire: raw for TTY containers, Docker's 8-byte stdcopy header otherwise. */
function frame(entry: LogEntry, opts: LogOptions): Buffer[] {
  const body = opts.timestamps ? Buffer.concat([Buffer.from(`${entry.time} `), entry.log]) : entry.log;
  if (opts.tty) return [body];
  return [stdcopyHeader(entry.stream === "stderr" ? 2 : 1, body.length), body];
}

/** Nanosecond-precision RFC3339 → ms, for since/until comparison. */
function timeMs(t: string): number {
  return Date.parse(t);
}

function wanted(e: LogEntry, opts: LogOptions): boolean {
  if (e.stream === "stdout" && !opts.stdout) return false;
  if (e.stream === "stderr" && !opts.stderr) return false;
  if (opts.since !== undefined && timeMs(e.time) < opts.since) return false;
  if (opts.until !== undefined && timeMs(e.time) > opts.until) return false;
  return true;
}

const READ_CHUNK = 1 << 20;
const WRITE_BATCH = 256 << 10;

/**
 * Stream a json-file log to `out`. With `follow`, keep reading as the monitor
 * appends until `stopped` resolves (the container exited), then drain the rest.
 * Frames are written in batches with backpressure, so a 100 MB log is never held in memory.
 */
export async function streamLogs(file: string, out: Writable, opts: LogOptions, stopped: Promise<void>, closed: Promise<void>): Promise<void> {
  let offset = 0;
  let pending: Buffer = Buffer.alloc(0);
  let gone = false;
  void closed.then(() => (gone = true));
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const ok = out.write(batch.length === 1 ? batch[0] : Buffer.concat(batch, batchBytes));
    batch = [];
    batchBytes = 0;
    if (!ok && !gone) await Promise.race([new Promise((r) => out.once("drain", r)), closed]);
  };
  /** false once past `until` (stop reading). */
  const emit = (line: Buffer): boolean => {
    if (line.length === 0) return true;
    const e = decodeLogLine(line);
    if (!e) return true; // a torn last line is completed on the next read
    if (opts.until !== undefined && timeMs(e.time) > opts.until) return false;
    if (!wanted(e, opts)) return true;
    for (const b of frame(e, opts)) {
      batch.push(b);
      batchBytes += b.length;
    }
    return true;
  };
  /** Emit every complete line of `pending + buf`, keeping the torn rest; false when `until` was passed. */
  const feed = (buf: Buffer): boolean => {
    const text = pending.length ? Buffer.concat([pending, buf]) : buf;
    let pos = 0;
    for (let nl = text.indexOf(10, pos); nl >= 0; nl = text.indexOf(10, pos)) {
      const more = emit(text.subarray(pos, nl));
      pos = nl + 1;
      if (!more) return false;
    }
    pending = Buffer.from(text.subarray(pos));
    return true;
  };

  // Initial read: honour tail by collecting matching lines first.
  const size = await fs.stat(file).then((s) => s.size, () => 0);
  if (size > 0) {
    if (opts.tail === undefined) {
      const fh = await fs.open(file, "r");
      try {
        const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, size));
        while (offset < size && !gone) {
          const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - offset), offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          const more = feed(buf.subarray(0, bytesRead));
          if (batchBytes >= WRITE_BATCH || !more) await flush();
          if (!more) return;
        }
      } finally {
        await fh.close();
      }
      await flush();
    } else {
      const entries: string[] = [];
      const rl = createInterface({ input: createReadStream(file, { start: 0, end: size - 1 }), crlfDelay: Infinity });
      for await (const line of rl) entries.push(line);
      const keep: Buffer[] = [];
      for (let i = entries.length - 1; i >= 0 && keep.length < opts.tail; i--) {
        const line = Buffer.from(entries[i], "utf8");
        const e = decodeLogLine(line);
        if (e && wanted(e, opts)) keep.push(line);
      }
      for (const l of keep.reverse()) emit(l);
      await flush();
      offset = size;
    }
  }
  if (!opts.follow) return;

  let done = false;
  const readMore = async () => {
    const st = await fs.stat(file).catch(() => undefined);
    if (!st || st.size <= offset) return;
    const fh = await fs.open(file, "r");
    try {
      const buf = Buffer.alloc(st.size - offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      offset += bytesRead;
      if (!feed(buf.subarray(0, bytesRead))) done = true;
      await flush();
    } finally {
      await fh.close();
    }
  };
  let watcher: ReturnType<typeof watch> | undefined;
  let wake: () => void = () => {};
  try {
    watcher = watch(file, () => wake());
  } catch {
    /* file may not exist yet; polling covers it */
  }
  stopped.then(() => (done = true, wake()));
  closed.then(() => (done = true, wake()));
  try {
    while (!done) {
      await readMore();
      if (done) break;
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 250); // polling backs up the watcher (inotify can miss renames)
      });
    }
    await readMore();
  } finally {
    watcher?.close();
  }
}
