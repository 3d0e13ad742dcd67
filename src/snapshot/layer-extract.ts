import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Parser, type ReadEntry } from "tar";
import { InvalidArgumentError } from "../lib/errors.js";
import type { Digest } from "../content/digest.js";
import { AutoDecompress } from "./decompress.js";
import { cleanEntryPath, resolveInRoot } from "./scoped-path.js";
import { makeNode, markOpaque } from "./special-files.js";

export interface ExtractResult {
  /** sha256 of the uncompressed tar stream (the OCI diffID). */
  diffId: Digest;
  /** Bytes of regular-file content written (hardlinks counted once). */
  size: number;
}

const WHITEOUT_PREFIX = ".wh.";
const OPAQUE_MARKER = ".wh..wh..opq";

/**
 * Apply a layer tar (plain, gzip, bzip2 or xz) to `dest`, converting OCI
 * whiteouts into overlayfs form: `.wh.<name>` becomes a 0/0 character
 * device `<name>`, `.wh..wh..opq` marks its directory opaque. Ownership,
 * modes, mtimes, symlinks, hardlinks, devices and FIFOs are preserved.
 *
 * Entries are applied strictly in archive order by our own code (not
 * tar's Unpack) so that paths resolve chroot-style inside `dest`: nothing
 * is ever written outside it, and absolute symlink targets are kept as
 * the image author wrote them.
 */
export async function extractLayer(input: Readable, dest: string): Promise<ExtractResult> {
  const hash = createHash("sha256");
  // An empty archive (nothing, or only the zero end blocks, as Go's tar writer makes it) is a valid,
  // empty layer; node-tar calls it "Unrecognized archive format".
  let onlyZeros = true;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      if (onlyZeros && chunk.some((b) => b !== 0)) onlyZeros = false;
      cb(null, chunk);
    },
  });
  const applier = new EntryApplier(dest);
  const parser = new Parser({ strict: true });
  let failure: unknown;
  let chain: Promise<void> = Promise.resolve();
  const aborted = new AbortController();
  const fail = (err: unknown) => {
    failure ??= err;
    aborted.abort();
    input.destroy();
  };
  parser.on("entry", (entry: ReadEntry) => {
    // Non-file entries carry no data: let the parser move on; their disk work is still serialised by `chain`.
    const isFile = entry.type === "File" || entry.type === "OldFile" || entry.type === "ContiguousFile";
    if (!isFile) entry.resume();
    chain = chain
      .then(() => (failure ? undefined : applier.apply(entry)))
      .catch(fail)
      .finally(() => entry.resume()); // whatever apply did not read (whiteout bodies, skipped entries) is discarded
  });
  // Unrecognized format: keep reading (and hashing) to tell an empty archive from garbage.
  let badArchive: unknown;
  let onBadArchive = () => {};
  const badArchiveSeen = new Promise<void>((resolve) => (onBadArchive = resolve));
  parser.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "TAR_BAD_ARCHIVE") return fail(err);
    badArchive ??= err;
    onBadArchive(); // a parser stuck on garbage never drains: stop waiting for it
  });
  const parserDone = new Promise<void>((resolve) => parser.on("end", () => resolve()));

  try {
    await pipeline(input, new AutoDecompress(), tap, async function (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        if (failure) throw failure;
        if (badArchive) continue;
        if (!parser.write(chunk)) await Promise.race([once(parser, "drain", { signal: aborted.signal }), badArchiveSeen]);
      }
      if (!badArchive) parser.end();
    });
  } catch (err) {
    fail(err);
  }
  if (!failure && !badArchive) await parserDone;
  await chain;
  if (!failure && badArchive && !onlyZeros) failure = badArchive;
  if (failure) throw failure;
  await applier.finish();
  return { diffId: `sha256:${hash.digest("hex")}`, size: applier.size };
}

interface DirTimes {
  dir: string;
  mtime: Date;
  atime: Date;
}

class EntryApplier {
  size = 0;
  private dirTimes: DirTimes[] = [];
  private readonly isRoot = process.getuid?.() === 0;

  constructor(private readonly root: string) {}

  async apply(entry: ReadEntry): Promise<void> {
    const rel = cleanEntryPath(entry.path);
    if (rel === "") return; // the root directory itself: its metadata belongs to the snapshot, not the layer
    const base = path.posix.basename(rel);
    const dirRel = path.posix.dirname(rel) === "." ? "" : path.posix.dirname(rel);

    if (base === OPAQUE_MARKER) {
      await markOpaque(await resolveInRoot(this.root, dirRel, true));
      return;
    }
    if (base.startsWith(WHITEOUT_PREFIX)) {
      if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) return; // other aufs metadata (.wh..wh.plnk etc.)
      const hidden = base.slice(WHITEOUT_PREFIX.length);
      const target = await resolveInRoot(this.root, dirRel ? `${dirRel}/${hidden}` : hidden, true);
      await this.clear(target, false);
      await makeNode(target, "c", 0, 0);
      await this.own(target, entry, false);
      return;
    }

    const target = await resolveInRoot(this.root, rel, true);
    const mode = (entry.mode ?? 0o644) & 0o7777;
    switch (entry.type) {
      case "Directory":
      case "GNUDumpDir": {
        await this.clear(target, true);
        await fs.mkdir(target, { mode }).catch((err) => (err.code === "EEXIST" ? undefined : Promise.reject(err)));
        await this.own(target, entry, false);
        await fs.chmod(target, mode);
        this.dirTimes.push({ dir: target, mtime: entry.mtime ?? new Date(), atime: entry.atime ?? entry.mtime ?? new Date() });
        return;
      }
      case "File":
      case "OldFile":
      case "ContiguousFile": {
        await this.clear(target, false);
        const fh = await fs.open(target, "wx", mode);
        try {
          // ReadEntry is a Minipass stream; node's pipeline() does not see its end reliably, so copy by hand.
          for await (const chunk of entry as AsyncIterable<Buffer>) await fh.write(chunk);
        } finally {
          await fh.close();
        }
        this.size += entry.size ?? 0;
        await this.own(target, entry, false);
        await fs.chmod(target, mode); // after chown, which clears setuid/setgid bits
        await this.times(target, entry, false);
        return;
      }
      case "Link": {
        const linkRel = cleanEntryPath(String(entry.linkpath ?? ""));
        if (linkRel === "") throw new InvalidArgumentError(`invalid hardlink "${entry.path}": empty target`);
        const source = await resolveInRoot(this.root, linkRel, false);
        const st = await fs.lstat(source).catch(() => undefined);
        if (!st || st.isDirectory()) {
          throw new InvalidArgumentError(`invalid hardlink "${entry.path}" -> "${entry.linkpath}": target is missing from the layer`);
        }
        await this.clear(target, false);
        await fs.link(source, target);
        return;
      }
      case "SymbolicLink": {
        await this.clear(target, false);
        await fs.symlink(String(entry.linkpath ?? ""), target);
        await this.own(target, entry, true);
        await this.times(target, entry, true);
        return;
      }
      case "CharacterDevice":
      case "BlockDevice":
      case "FIFO": {
        await this.clear(target, false);
        const kind = entry.type === "FIFO" ? "p" : entry.type === "CharacterDevice" ? "c" : "b";
        await makeNode(target, kind, entry.header.devmaj ?? 0, entry.header.devmin ?? 0);
        await this.own(target, entry, false);
        await fs.chmod(target, mode);
        await this.times(target, entry, false);
        return;
      }
      default:
        return; // sparse files, ACLs, volume headers: not produced by image tooling
    }
  }

  /** Directory mtimes are set last, because creating children changes them. */
  async finish(): Promise<void> {
    for (const d of this.dirTimes.reverse()) await fs.utimes(d.dir, d.atime, d.mtime).catch(() => undefined);
  }

  /** Make room for a new entry: the archive's later entry replaces what is there (a directory stays when a directory comes). */
  private async clear(target: string, keepDir: boolean): Promise<void> {
    const st = await fs.lstat(target).catch(() => undefined);
    if (!st) return;
    if (keepDir && st.isDirectory()) return;
    await fs.rm(target, { recursive: true, force: true });
  }

  private async own(target: string, entry: ReadEntry, link: boolean): Promise<void> {
    if (!this.isRoot) return; // an unprivileged extraction keeps the caller's ownership
    const uid = entry.uid ?? 0;
    const gid = entry.gid ?? 0;
    await (link ? fs.lchown(target, uid, gid) : fs.chown(target, uid, gid));
  }

  private async times(target: string, entry: ReadEntry, link: boolean): Promise<void> {
    const mtime = entry.mtime ?? new Date();
    const atime = entry.atime ?? mtime;
    await (link ? fs.lutimes(target, atime, mtime) : fs.utimes(target, atime, mtime));
  }
}
