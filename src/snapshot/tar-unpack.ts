import { createHash } from "node:crypto";
import { once } from "node:events";
import { PassThrough, Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Parser, type ReadEntry } from "tar";
import { AutoDecompress } from "./decompress.js";
import { archiveError, EntryWriter, type UnpackOptions } from "./entry-writer.js";
import type { ScopedRoot } from "../lib/scoped-fs/scoped-root.js";

export type { UnpackOptions } from "./entry-writer.js";

export interface UnpackResult {
  /** sha256 of the uncompressed tar stream (a layer's diffID). */
  diffId: `sha256:${string}`;
  /** Bytes of regular-file content written. */
  size: number;
  entries: number;
}

/**
 * Extract a tar (plain, gzip, bzip2, xz or zstd) into a ScopedRoot: every
 * entry is applied in archive order by EntryWriter, confined to the root.
 * A malformed archive (bad header, truncated data, names leaving the
 * destination) is an ArchiveError (dockerd's 500); nothing is written outside.
 */
export async function unpackTar(input: Readable, root: ScopedRoot, opts: UnpackOptions = {}): Promise<UnpackResult> {
  const hash = createHash("sha256");
  // An empty archive (no bytes, or only the zero end blocks, as Go's tar writer makes it) is valid
  // and holds nothing; node-tar calls it "Unrecognized archive format".
  let onlyZeros = true;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      if (onlyZeros && chunk.some((b) => b !== 0)) onlyZeros = false;
      cb(null, chunk);
    },
  });
  const writer = new EntryWriter(root, opts);
  const parser = new Parser({ strict: true });
  let failure: unknown;
  let chain: Promise<void> = Promise.resolve();
  const aborted = new AbortController();
  // The input is piped, not handed to pipeline(): on failure it is unpiped and
  // drained instead of destroyed, so an HTTP request still gets its error answer.
  const source = new PassThrough();
  input.pipe(source);
  input.once("error", (err) => source.destroy(err));
  // A source destroyed without an error (the other half of a failed tee, an aborted upload) never ends: stop waiting for it.
  const cut = () => {
    if (!input.readableEnded && !source.destroyed) source.destroy(new Error("the archive stream was closed before its end"));
  };
  if (input.destroyed) queueMicrotask(cut);
  else input.once("close", cut);
  // Entries whose data is still being read: on a failure they are destroyed, since a
  // parser that gets no more input never ends them and their writer would wait forever.
  const reading = new Set<ReadEntry>();
  const fail = (err: unknown) => {
    failure ??= asInputError(err);
    aborted.abort();
    for (const e of reading) e.destroy();
    input.unpipe(source);
    input.resume();
    source.destroy();
  };
  parser.on("entry", (entry: ReadEntry) => {
    // Non-file entries carry no data: let the parser move on; their disk work is still serialised by `chain`.
    const isFile = entry.type === "File" || entry.type === "OldFile" || entry.type === "ContiguousFile";
    if (!isFile) entry.resume();
    else {
      reading.add(entry);
      entry.once("end", () => reading.delete(entry));
    }
    chain = chain
      .then(() => (failure ? undefined : writer.apply(entry)))
      .catch(fail)
      .finally(() => entry.resume()); // whatever apply did not read (skipped entries) is discarded
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
    await pipeline(source, new AutoDecompress(), tap, async function (source: AsyncIterable<Buffer>) {
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
  if (!failure && badArchive && !onlyZeros) failure = asInputError(badArchive);
  if (failure) throw failure;
  writer.finish();
  return { diffId: `sha256:${hash.digest("hex")}`, size: writer.size, entries: writer.entries };
}

/** node-tar's TAR_* errors (bad checksum, truncated archive, …) are the archive's fault: dockerd's words, node-tar's detail. */
function asInputError(err: unknown): unknown {
  const code = (err as { code?: string } | undefined)?.code;
  if (typeof code === "string" && code.startsWith("TAR_")) {
    // node-tar's code is for us, not for the user: "TAR_ENTRY_INVALID: checksum failure" → "checksum failure".
    const msg = (err as Error).message.replace(/^TAR_[A-Z_]+:\s*/, "");
    const what = /Truncated input|unexpected eof/i.test(msg) ? "unexpected EOF" : "archive/tar: invalid tar header";
    return archiveError(`${what} (${msg})`, err);
  }
  return err;
}
