import { createReadStream, promises as fs, watch } from "node:fs";
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import { InvalidArgumentError } from "../../lib/errors.js";
import { parseTimestamp } from "../../lib/filters.js";

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

interface JsonLogLine {
  log: string;
  stream: "stdout" | "stderr";
  time: string;
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
function frame(entry: JsonLogLine, opts: LogOptions): Buffer {
  const text = opts.timestamps ? `${entry.time} ${entry.log}` : entry.log;
  const body = Buffer.from(text, "utf8");
  if (opts.tty) return body;
  const hdr = Buffer.alloc(8);
  hdr[0] = entry.stream === "stderr" ? 2 : 1;
  hdr.writeUInt32BE(body.length, 4);
  return Buffer.concat([hdr, body]);
}

/** Nanosecond-precision RFC3339 → ms, for since/until comparison. */
function timeMs(t: string): number {
  return Date.parse(t);
}

function wanted(e: JsonLogLine, opts: LogOptions): boolean {
  if (e.stream === "stdout" && !opts.stdout) return false;
  if (e.stream === "stderr" && !opts.stderr) return false;
  if (opts.since !== undefined && timeMs(e.time) < opts.since) return false;
  if (opts.until !== undefined && timeMs(e.time) > opts.until) return false;
  return true;
}

/**
 * Stream a json-file log to `out`. With `follow`, keep reading as the monitor
 * appends until `stopped` resolves (the container exited), then drain the rest.
 */
export async function streamLogs(file: string, out: Writable, opts: LogOptions, stopped: Promise<void>, closed: Promise<void>): Promise<void> {
  let offset = 0;
  let pending = "";
  const emit = (line: string) => {
    if (!line) return true;
    let e: JsonLogLine;
    try {
      e = JSON.parse(line);
    } catch {
      return true; // a torn last line is completed on the next read
    }
    if (opts.until !== undefined && timeMs(e.time) > opts.until) return false;
    if (wanted(e, opts)) out.write(frame(e, opts));
    return true;
  };

  // Initial read: honour tail by collecting matching lines first.
  const size = await fs.stat(file).then((s) => s.size, () => 0);
  if (size > 0) {
    const entries: string[] = [];
    const rl = createInterface({ input: createReadStream(file, { start: 0, end: size - 1 }), crlfDelay: Infinity });
    for await (const line of rl) {
      if (opts.tail === undefined) {
        if (!emit(line)) return;
      } else entries.push(line);
    }
    if (opts.tail !== undefined) {
      const keep: string[] = [];
      for (let i = entries.length - 1; i >= 0 && keep.length < opts.tail; i--) {
        try {
          if (wanted(JSON.parse(entries[i]), opts)) keep.push(entries[i]);
        } catch {
          /* skip torn line */
        }
      }
      for (const l of keep.reverse()) emit(l);
    }
    offset = size;
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
      const text = pending + buf.subarray(0, bytesRead).toString("utf8");
      const lines = text.split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) if (!emit(l)) done = true;
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
