import { spawn, type ChildProcess } from "node:child_process";
import { Transform, type TransformCallback, type Readable, type Writable } from "node:stream";
import { createGunzip } from "node:zlib";

export type Compression = "none" | "gzip" | "bzip2" | "xz" | "zstd";

/** Recognise a compression format from the first bytes of a stream. */
export function detectCompression(head: Buffer): Compression {
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return "gzip";
  if (head.length >= 3 && head.subarray(0, 3).toString("latin1") === "BZh") return "bzip2";
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return "xz";
  // zstd frames (OCI "+zstd" layers): Node has no zstd, so the Debian `zstd` binary decompresses them.
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return "zstd";
  return "none";
}

const SNIFF_BYTES = 6;

/**
 * A transform that sniffs the first bytes and decompresses gzip (zlib),
 * bzip2 or xz (the Debian `bzip2`/`xz` binaries, spawned) transparently;
 * anything else passes through unchanged. The Engine API accepts all four
 * for import and build contexts.
 */
export class AutoDecompress extends Transform {
  private head: Buffer[] = [];
  private headLen = 0;
  private inner: Writable | undefined;
  private innerOut: Readable | undefined;
  private child: ChildProcess | undefined;
  private decided = false;
  compression: Compression = "none";

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.decided) return this.forward(chunk, cb);
    this.head.push(chunk);
    this.headLen += chunk.length;
    if (this.headLen < SNIFF_BYTES) return cb();
    this.decide();
    const buf = Buffer.concat(this.head);
    this.head = [];
    this.forward(buf, cb);
  }

  override _flush(cb: TransformCallback): void {
    if (!this.decided) {
      this.decide();
      const buf = Buffer.concat(this.head);
      this.head = [];
      if (buf.length) {
        this.forward(buf, (err) => (err ? cb(err) : this.finishInner(cb)));
        return;
      }
    }
    this.finishInner(cb);
  }

  private decide(): void {
    this.decided = true;
    this.compression = detectCompression(Buffer.concat(this.head));
    if (this.compression === "none") return;
    if (this.compression === "gzip") {
      const gz = createGunzip();
      this.inner = gz;
      this.innerOut = gz;
    } else {
      const child = spawn(this.compression, ["-dc"], { stdio: ["pipe", "pipe", "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", (err) => this.destroy(new Error(`cannot run ${this.compression} to decompress: ${err.message}${this.compression === "zstd" ? " (install the zstd program, Debian package zstd, to use zstd-compressed layers)" : ""}`)));
      child.on("close", (code) => {
        if (code !== 0) this.destroy(new Error(`${this.compression} decompression failed: ${stderr.trim() || `exit ${code}`}`));
      });
      child.stdin!.on("error", () => {}); // reported through exit status instead
      this.child = child;
      this.inner = child.stdin!;
      this.innerOut = child.stdout!;
    }
    this.innerOut.on("data", (d: Buffer) => {
      if (!this.push(d)) this.innerOut!.pause();
    });
    this.innerOut.on("error", (err) => this.destroy(err));
  }

  override _read(size: number): void {
    this.innerOut?.resume();
    super._read(size);
  }

  private forward(chunk: Buffer, cb: TransformCallback): void {
    if (!this.inner) return cb(null, chunk);
    if (this.inner.write(chunk)) cb();
    else this.inner.once("drain", () => cb());
  }

  private finishInner(cb: TransformCallback): void {
    if (!this.inner || !this.innerOut) return cb();
    const out = this.innerOut;
    let done = false;
    const finish = (err?: Error | null) => {
      if (done) return;
      done = true;
      cb(err ?? null);
    };
    if (this.child) {
      // 'close' comes after both exit and the end of stdout; the exit code says whether the data was valid.
      this.child.once("close", (code) => finish(code === 0 ? null : new Error(`${this.compression} decompression failed (exit ${code})`)));
    } else {
      out.once("end", () => finish());
    }
    out.once("error", (err) => finish(err));
    out.resume();
    this.inner.end();
  }

  override _destroy(err: Error | null, cb: (error: Error | null) => void): void {
    this.child?.kill("SIGKILL");
    if (this.inner && this.inner !== this.child?.stdin) (this.inner as Transform).destroy();
    cb(err);
  }
}
