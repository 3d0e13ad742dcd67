// A rotated log on disk: base.N[.gz] … base.1[.gz], base (oldest first), as
// the monitor writes it. Readers open every file up front so that a rotation
// while they read does not make them skip or repeat a file.
import { createReadStream, promises as fs } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { createGunzip } from "node:zlib";

export interface OpenLogFile {
  path: string;
  gz: boolean;
  /** Plain files stay open (a rotation renames them under us); .gz files are read by name. */
  fh?: FileHandle;
  /** Size when opened (plain files). */
  size: number;
  ino: number;
}

/** Index → file name for the rotated files of `base` that exist now (a plain file wins over its .gz twin mid-compression). */
async function rotatedNames(base: string): Promise<Array<{ index: number; file: string; gz: boolean }>> {
  const dir = path.dirname(base);
  const prefix = path.basename(base) + ".";
  const found = new Map<number, { file: string; gz: boolean }>();
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)(\.gz)?$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const index = Number(m[1]);
    const gz = !!m[2];
    if (!found.has(index) || !gz) found.set(index, { file: path.join(dir, name), gz });
  }
  return [...found.entries()].sort((a, b) => b[0] - a[0]).map(([index, f]) => ({ index, ...f }));
}

/** Every file of the log, oldest first; the last one is the live file (absent: not yet written). */
export async function openLogFiles(base: string): Promise<OpenLogFile[]> {
  const out: OpenLogFile[] = [];
  // The live file first, so that a rotation between here and the listing shows up as a repeat we can drop.
  const live = await openPlain(base);
  for (const r of await rotatedNames(base)) {
    if (r.gz) {
      const st = await fs.stat(r.file).catch(() => undefined);
      if (st) out.push({ path: r.file, gz: true, size: st.size, ino: st.ino });
      continue;
    }
    const f = await openPlain(r.file);
    if (f && f.ino !== live?.ino) out.push(f);
    else await f?.fh?.close();
  }
  if (live) out.push(live);
  return out;
}

export async function openPlain(file: string): Promise<OpenLogFile | undefined> {
  const fh = await fs.open(file, "r").catch(() => undefined);
  if (!fh) return undefined;
  const st = await fh.stat();
  return { path: file, gz: false, fh, size: st.size, ino: st.ino };
}

export async function closeLogFiles(files: OpenLogFile[]): Promise<void> {
  for (const f of files) await f.fh?.close().catch(() => undefined);
}

const CHUNK = 1 << 20;

/**
 * Chunks of a file from `from` to `to` (plain) or of its whole decompressed
 * content (.gz). The callback may return a promise (back-pressure) or false (stop).
 */
export async function readChunks(f: OpenLogFile, onChunk: (b: Buffer) => boolean | Promise<boolean>, from = 0, to = f.size): Promise<boolean> {
  if (f.gz) {
    const stream = createReadStream(f.path).pipe(createGunzip());
    try {
      for await (const chunk of stream) if (!(await onChunk(chunk as Buffer))) return false;
    } catch {
      /* a .gz replaced under us or damaged: what was read stands */
    } finally {
      stream.destroy();
    }
    return true;
  }
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(to - from, 1)));
  for (let off = from; off < to; ) {
    const { bytesRead } = await f.fh!.read(buf, 0, Math.min(buf.length, to - off), off);
    if (bytesRead === 0) break;
    off += bytesRead;
    if (!(await onChunk(buf.subarray(0, bytesRead)))) return false;
  }
  return true;
}

/** The whole content of a file as one buffer (tail reads of rotated files). */
export async function readAll(f: OpenLogFile): Promise<Buffer> {
  const parts: Buffer[] = [];
  await readChunks(f, (b) => (parts.push(Buffer.from(b)), true));
  return Buffer.concat(parts);
}

/** Blocks of a plain file from its end backwards (for --tail on a large file). */
export async function readBackward(f: OpenLogFile, onBlock: (b: Buffer, start: number) => boolean): Promise<void> {
  const size = 256 << 10;
  for (let end = f.size; end > 0; ) {
    const start = Math.max(0, end - size);
    const buf = Buffer.allocUnsafe(end - start);
    const { bytesRead } = await f.fh!.read(buf, 0, buf.length, start);
    if (!onBlock(buf.subarray(0, bytesRead), start)) return;
    end = start;
  }
}

/**
 * A follower finished `old` (the live file until a rotation renamed it): the
 * files written after it, oldest first, up to but not including the new live
 * file (`liveIno`, which may itself have been rotated by now). Found by inode among the rotated plain files; when `old` is gone or
 * compressed (`found` false), every rotated file: the caller skips records it has.
 */
export async function filesAfter(base: string, oldIno: number, liveIno: number): Promise<{ files: OpenLogFile[]; found: boolean }> {
  const out: OpenLogFile[] = [];
  let found = false;
  for (const r of await rotatedNames(base)) {
    const f: OpenLogFile | undefined = r.gz ? await fs.stat(r.file).then((st) => ({ path: r.file, gz: true, size: st.size, ino: st.ino }), () => undefined) : await openPlain(r.file);
    if (!f) continue;
    // The new live file rotated too meanwhile: it and what follows are read as the live file later.
    if (!r.gz && f.ino === liveIno) {
      await f.fh!.close();
      break;
    }
    if (!r.gz && f.ino === oldIno) {
      found = true;
      await f.fh!.close();
      await closeLogFiles(out.splice(0)); // older than the one just finished
      continue;
    }
    out.push(f);
  }
  return { files: out, found };
}
