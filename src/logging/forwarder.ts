// Delivers a remote driver's spool (written by the container's monitor) to the
// receiver, in order, from a persisted cursor, so output written while the
// daemon was down is delivered once it is back.
//
//   blocking      nothing is dropped: the monitor stops reading the container's
//                 output while too much is unacknowledged (acks go back to it)
//   non-blocking  the container never waits; at most max-buffer-size of
//                 undelivered output is held, beyond it the oldest is dropped
//                 (counted) — except output written while the daemon was away,
//                 which is delivered in full as long as the spool still holds it.
// Records the spool's rotation removed before they were delivered are found by
// their sequence numbers and counted as dropped.
import { promises as fs, watch } from "node:fs";
import { readJsonIfExists } from "../lib/atomic-file.js";
import { closeLogFiles, filesAfter, openLogFiles, openPlain, readChunks, type OpenLogFile } from "./log-files.js";
import { decodeLocalEntry } from "./local-record.js";
import { RecordSplitter } from "./records.js";
import type { LogSink, OutRecord } from "./sink.js";

export interface ForwarderOptions {
  spool: string;
  cursorFile: string;
  sink: LogSink;
  blocking: boolean;
  /** Bytes of undelivered output held in memory. */
  maxBufferSize: number;
  /** A failed send is retried after waitMs·2ⁿ (capped at 30 s), at most maxRetries times, then dropped. */
  retry: { waitMs: number; maxRetries: number };
  onDropped(count: number, why: string): void;
  onError(err: Error, failures: number): void;
}

interface Cursor {
  seq: number;
  timeNano: string;
}

const BATCH_RECORDS = 512;
const BATCH_BYTES = 256 << 10;
/** How often the delivered position is saved: what a daemon killed meanwhile sends again (at least once). */
const PERSIST_MS = 100;

export class SpoolForwarder {
  private cursor: Cursor = { seq: 0, timeNano: "0" };
  private lastRead = 0;
  private queue: OutRecord[] = [];
  private queueBytes = 0;
  private catchingUp = true;
  private running = true;
  private stopped = false;
  private readerDone = false;
  private wakeReader: () => void = () => {};
  private wakeSender: () => void = () => {};
  private cancelSleep: () => void = () => {};
  /** Records at the head of the queue handed to the sink and not yet confirmed. */
  private inflight = 0;
  private persistTimer?: NodeJS.Timeout;
  private loops?: Promise<void>;
  /** Set while the container's monitor is reachable: tells it what is delivered (blocking mode). */
  ack?: (seq: number) => void;
  delivered = 0;

  constructor(private readonly o: ForwarderOptions) {}

  async start(): Promise<void> {
    this.cursor = (await readJsonIfExists<Cursor>(this.o.cursorFile)) ?? this.cursor;
    this.lastRead = this.cursor.seq;
    this.loops = Promise.all([this.readLoop(), this.sendLoop()]).then(() => undefined);
  }

  /** The container runs (more output may come) or has exited (stop once everything is delivered). */
  setRunning(running: boolean): void {
    this.running = running;
    this.wakeReader();
  }

  get deliveredSeq(): number {
    return this.cursor.seq;
  }

  /** Resolves when the spool is delivered and the container is not running (or stop() was called). */
  done(): Promise<void> {
    return this.loops ?? Promise.resolve();
  }

  /** Stop now (daemon shutdown, container removed); the cursor is saved. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeReader();
    this.wakeSender();
    this.cancelSleep();
    await this.loops?.catch(() => undefined);
  }

  // --- reading the spool ---

  private async enqueue(r: OutRecord): Promise<void> {
    const size = r.line.length + 64;
    while (!this.stopped && this.queueBytes + size > this.o.maxBufferSize && this.queue.length > 0) {
      if (!this.o.blocking && !this.catchingUp) {
        // Non-blocking: the oldest record not already being sent goes (or this one, if all are).
        if (this.queue.length <= this.inflight) return this.o.onDropped(1, "buffer full");
        const [old] = this.queue.splice(this.inflight, 1);
        this.queueBytes -= old.line.length + 64;
        this.o.onDropped(1, "buffer full");
        continue;
      }
      await new Promise<void>((res) => (this.wakeReader = res));
    }
    this.queue.push(r);
    this.queueBytes += size;
    this.wakeSender();
  }

  /** One spool record; false to stop reading. */
  private take(raw: Buffer, pending: OutRecord[]): boolean {
    const e = decodeLocalEntry(raw.subarray(4, raw.length - 4));
    if (!e || !e.seq) return true;
    if (e.seq <= this.lastRead) {
      // Sequence numbers restarted (the spool was lost): start over from this record.
      if (e.seq === 1 && e.timeNano > BigInt(this.cursor.timeNano)) this.lastRead = 0;
      else return true;
    }
    if (e.seq > this.lastRead + 1) this.o.onDropped(e.seq - this.lastRead - 1, "spool rotated before delivery");
    this.lastRead = e.seq;
    pending.push({ line: e.line, stream: e.stream, timeNano: e.timeNano, partial: e.partial, seq: e.seq });
    return true;
  }

  private async readFile(f: OpenLogFile, from: number, to?: number): Promise<number> {
    const splitter = new RecordSplitter("local");
    let end = from;
    await readChunks(f, async (chunk) => {
      const pending: OutRecord[] = [];
      splitter.push(chunk, (raw) => this.take(raw, pending));
      for (const r of pending) await this.enqueue(r);
      end += chunk.length;
      return !this.stopped;
    }, from, to);
    return end - splitter.pending;
  }

  private async readLoop(): Promise<void> {
    const files = await openLogFiles(this.o.spool);
    let live = files[files.length - 1]?.path === this.o.spool ? files.pop() : undefined;
    try {
      for (const f of files) await this.readFile(f, 0);
      let offset = live ? await this.readFile(live, 0, live.size) : 0;
      this.catchingUp = false;
      let watcher: ReturnType<typeof watch> | undefined;
      const rewatch = () => {
        watcher?.close();
        try {
          watcher = watch(this.o.spool, () => this.wakeReader());
        } catch {
          watcher = undefined;
        }
      };
      rewatch();
      try {
        while (!this.stopped) {
          if (!live) {
            live = await openPlain(this.o.spool);
            offset = 0;
            if (live) rewatch();
          }
          if (live) {
            const st = await live.fh!.stat();
            if (st.size > offset) offset = await this.readFile(live, offset, st.size);
            const now = await openPlain(this.o.spool);
            if (now && now.ino !== live.ino) {
              const rest = await live.fh!.stat();
              if (rest.size > offset) await this.readFile(live, offset, rest.size);
              await live.fh!.close();
              // Rotated more than once since the last look: the files in between (seq numbers skip what was read).
              const between = await filesAfter(this.o.spool, live.ino, now.ino);
              for (const f of between.files) await this.readFile(f, 0);
              await closeLogFiles(between.files);
              live = now;
              offset = 0;
              rewatch();
              continue;
            }
            await now?.fh?.close();
          }
          if (!this.running && (!live || (await live.fh!.stat()).size <= offset)) break;
          await new Promise<void>((r) => {
            this.wakeReader = r;
            setTimeout(r, 250);
          });
        }
      } finally {
        watcher?.close();
      }
    } finally {
      await closeLogFiles([...files, ...(live ? [live] : [])]);
      this.readerDone = true;
      this.wakeSender();
    }
  }

  // --- delivering ---

  private async sendLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      if (this.queue.length === 0) {
        if (this.readerDone) break;
        await new Promise<void>((r) => (this.wakeSender = r));
        continue;
      }
      let n = 0;
      let bytes = 0;
      while (n < this.queue.length && n < BATCH_RECORDS && bytes < BATCH_BYTES) bytes += this.queue[n++].line.length;
      const batch = this.queue.slice(0, n);
      this.inflight = n;
      try {
        await this.o.sink.send(batch);
        failures = 0;
      } catch (err) {
        this.inflight = 0;
        failures++;
        this.o.onError(err as Error, failures);
        if (failures <= this.o.retry.maxRetries) {
          await this.sleep(Math.min(this.o.retry.waitMs * 2 ** Math.min(failures - 1, 16), 30_000));
          continue;
        }
        this.o.onDropped(batch.length, "delivery failed after retries");
        failures = 0;
      }
      this.inflight = 0;
      const last = batch[batch.length - 1];
      while (this.queue.length && this.queue[0].seq <= last.seq) this.queueBytes -= this.queue.shift()!.line.length + 64;
      this.delivered += batch.length;
      this.cursor = { seq: last.seq, timeNano: String(last.timeNano) };
      this.ack?.(last.seq);
      this.schedulePersist();
      this.wakeReader();
    }
    await this.persist();
    await this.o.sink.close().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(r, ms);
      this.cancelSleep = () => (clearTimeout(t), r());
    });
  }

  private schedulePersist(): void {
    if (this.persistTimer) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      void this.persist();
    }, PERSIST_MS);
  }

  private persisting = Promise.resolve();

  private persist(): Promise<void> {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    const snapshot = { ...this.cursor };
    // rename() is atomic for a crashed daemon; no fsync: a lost position only means records sent twice.
    const tmp = `${this.o.cursorFile}.tmp`;
    this.persisting = this.persisting.then(() => fs.writeFile(tmp, JSON.stringify(snapshot)).then(() => fs.rename(tmp, this.o.cursorFile)).catch(() => undefined));
    return this.persisting;
  }
}

/** The delivered position saved for a container, if any. */
export async function readCursor(file: string): Promise<number> {
  return (await readJsonIfExists<Cursor>(file))?.seq ?? 0;
}

export async function removeCursor(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}
