import type { Readable, Duplex } from "node:stream";

/**
 * Docker's multiplexed stream format (non-TTY attach and logs): frames of
 * an 8-byte header `[stream, 0, 0, 0, size(uint32 BE)]` then `size` bytes.
 * stream 0 = stdin (echoed), 1 = stdout, 2 = stderr, 3 = a daemon error.
 */
export interface DemuxSinks {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/** Incremental parser: feed bytes, frames come out as calls on the sinks. */
export class StdcopyDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  systemError: string | undefined;

  constructor(private readonly sinks: DemuxSinks) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const kind = this.pending[0];
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const payload = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      if (kind === 0 || kind === 1) this.sinks.stdout(payload);
      else if (kind === 2) this.sinks.stderr(payload);
      else if (kind === 3) this.systemError = (this.systemError ?? "") + payload.toString("utf8");
      else throw new Error(`Unrecognized input header: ${kind}`);
    }
  }
}

/** Demultiplex a whole stream; resolves when it ends. A stream-3 frame rejects with its text. */
export function demuxStream(stream: Readable | Duplex, sinks: DemuxSinks): Promise<void> {
  const demuxer = new StdcopyDemuxer(sinks);
  return new Promise((resolve, reject) => {
    stream.on("data", (c: Buffer) => {
      try {
        demuxer.push(c);
      } catch (err) {
        reject(err);
      }
    });
    const done = () => (demuxer.systemError ? reject(new Error(demuxer.systemError)) : resolve());
    stream.once("end", done);
    stream.once("close", done);
    stream.once("error", reject);
  });
}

/** Copy a raw (TTY) stream to one sink; resolves when it ends. */
export function copyRaw(stream: Readable | Duplex, sink: (c: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on("data", (c: Buffer) => sink(c));
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", reject);
  });
}

/** Build one frame (used by tests and by anything that must speak the format). */
export { stdcopyFrame as encodeFrame } from "../lib/stdcopy.js";
