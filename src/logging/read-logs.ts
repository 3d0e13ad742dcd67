// `docker logs` over a rotated log in either format: all of it or --tail N,
// --since/--until, and -f across rotations until the container exits.
import { watch } from "node:fs";
import type { Writable } from "node:stream";
import { stdcopyHeader } from "../lib/stdcopy.js";
import { closeLogFiles, filesAfter, openLogFiles, openPlain, readAll, readBackward, readChunks, type OpenLogFile } from "./log-files.js";
import { decodeRecord, RecordSplitter, type LogFormat, type LogRecord } from "./records.js";

export interface LogReadOptions {
  stdout: boolean;
  stderr: boolean;
  follow: boolean;
  timestamps: boolean;
  tail?: number; // undefined = all
  since?: number; // ms
  until?: number; // ms
  tty: boolean;
}

const WRITE_BATCH = 256 << 10;

function wanted(e: LogRecord, o: LogReadOptions): boolean {
  if (e.stream === "stdout" ? !o.stdout : !o.stderr) return false;
  if (o.since !== undefined && e.ms() < o.since) return false;
  if (o.until !== undefined && e.ms() > o.until) return false;
  return true;
}

/** Frames in batches with back-pressure, so a 100 MB log is never held in memory. */
class FrameWriter {
  private batch: Buffer[] = [];
  private bytes = 0;
  gone = false;

  constructor(private readonly out: Writable, private readonly o: LogReadOptions, private readonly closed: Promise<void>) {
    void closed.then(() => (this.gone = true));
  }

  add(e: LogRecord): void {
    const body = this.o.timestamps ? Buffer.concat([Buffer.from(`${e.time} `), e.log]) : e.log;
    if (!this.o.tty) this.push(stdcopyHeader(e.stream === "stderr" ? 2 : 1, body.length));
    this.push(body);
  }

  private push(b: Buffer): void {
    this.batch.push(b);
    this.bytes += b.length;
  }

  get full(): boolean {
    return this.bytes >= WRITE_BATCH;
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const ok = this.out.write(this.batch.length === 1 ? this.batch[0] : Buffer.concat(this.batch, this.bytes));
    this.batch = [];
    this.bytes = 0;
    if (!ok && !this.gone) await Promise.race([new Promise((r) => this.out.once("drain", r)), this.closed]);
  }
}

/** The last `n` wanted records, newest file first; json files are read from their end. */
async function tailRecords(files: OpenLogFile[], format: LogFormat, n: number, o: LogReadOptions): Promise<LogRecord[]> {
  const keep: LogRecord[] = [];
  for (let i = files.length - 1; i >= 0 && keep.length < n; i--) {
    const f = files[i];
    if (format === "json" && !f.gz) {
      // Lines end with '\n'; the file's last bytes may be a line still being written (no '\n' yet).
      let head: Buffer = Buffer.alloc(0);
      let atEnd = true;
      await readBackward(f, (block, start) => {
        const data = head.length ? Buffer.concat([block, head]) : block;
        let end = atEnd ? data.lastIndexOf(10) + 1 : data.length;
        atEnd = false;
        while (end > 0 && keep.length < n) {
          const nl = data.lastIndexOf(10, end - 2);
          if (nl < 0 && start > 0) break; // the line starts in an earlier block
          const e = decodeRecord(format, data.subarray(nl + 1, end - 1));
          if (e && wanted(e, o)) keep.push(e);
          end = nl + 1;
        }
        head = Buffer.from(data.subarray(0, end));
        return keep.length < n;
      });
      continue;
    }
    const recs: LogRecord[] = [];
    const splitter = new RecordSplitter(format);
    splitter.push(await readAll(f), (raw) => {
      const e = decodeRecord(format, raw);
      if (e && wanted(e, o)) recs.push(e);
      return true;
    });
    for (let j = recs.length - 1; j >= 0 && keep.length < n; j--) keep.push(recs[j]);
  }
  return keep.reverse();
}

/**
 * Stream a container's log to `out`. With `follow`, keep reading the live file
 * (across rotations) until `stopped` resolves (the container exited), then drain.
 */
export async function streamLogs(base: string, format: LogFormat, out: Writable, o: LogReadOptions, stopped: Promise<void>, closed: Promise<void>): Promise<void> {
  const w = new FrameWriter(out, o, closed);
  const files = await openLogFiles(base);
  let live: OpenLogFile | undefined = files[files.length - 1]?.path === base ? files[files.length - 1] : undefined;
  let offset = live?.size ?? 0;
  let splitter = new RecordSplitter(format);
  let pastUntil = false;
  let lastTime = "";
  let skipUpTo = ""; // after a rotation we could not place exactly: drop what was already sent
  const onRecord = (raw: Buffer): boolean => {
    const e = decodeRecord(format, raw);
    if (!e) return true;
    if (skipUpTo && e.time <= skipUpTo) return true;
    lastTime = e.time;
    if (o.until !== undefined && e.ms() > o.until) return !(pastUntil = true);
    if (wanted(e, o)) w.add(e);
    return true;
  };
  const feed = async (chunk: Buffer): Promise<boolean> => {
    const more = splitter.push(chunk, onRecord);
    if (w.full || !more) await w.flush();
    return more && !w.gone;
  };
  try {
    if (o.tail !== undefined) {
      for (const e of await tailRecords(files, format, o.tail, o)) w.add(e);
      await w.flush();
    } else {
      for (const f of files) {
        splitter = new RecordSplitter(format);
        if (!(await readChunks(f, feed))) break;
      }
      await w.flush();
    }
    for (const f of files) if (f !== live) await f.fh?.close();
    if (!o.follow || pastUntil || w.gone) return;
    splitter = new RecordSplitter(format);
    await follow();
  } finally {
    await closeLogFiles(live ? [live] : []);
  }

  async function follow(): Promise<void> {
    let done = false;
    let wake: () => void = () => {};
    void stopped.then(() => ((done = true), wake()));
    void closed.then(() => ((done = true), wake()));
    let watcher: ReturnType<typeof watch> | undefined;
    const rewatch = () => {
      watcher?.close();
      try {
        watcher = watch(base, () => wake());
      } catch {
        watcher = undefined; // not there yet: polling covers it
      }
    };
    rewatch();
    const readMore = async (): Promise<boolean> => {
      if (!live) {
        live = await openPlain(base);
        offset = 0;
        if (live) rewatch();
        if (!live) return true;
      }
      const st = await live.fh!.stat();
      if (st.size > offset) {
        const more = await readChunks(live, feed, offset, st.size);
        offset = st.size;
        await w.flush();
        if (!more) return false;
      }
      // Rotated (renamed or truncated away): finish the old file, then go on with the new one.
      const now = await openPlain(base);
      if (now && now.ino !== live.ino) {
        const rest = await live.fh!.stat();
        if (rest.size > offset) await readChunks(live, feed, offset, rest.size);
        await live.fh!.close();
        // Several rotations may have happened since the last look: read the files in between.
        const between = await filesAfter(base, live.ino, now.ino);
        skipUpTo = between.found ? "" : lastTime;
        for (const f of between.files) {
          splitter = new RecordSplitter(format);
          await readChunks(f, feed);
        }
        await closeLogFiles(between.files);
        await w.flush();
        skipUpTo = "";
        live = now;
        offset = 0;
        splitter = new RecordSplitter(format);
        rewatch();
        return readMore();
      }
      await now?.fh?.close();
      return true;
    };
    try {
      while (!done) {
        if (!(await readMore()) || pastUntil) return;
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
}
