import type { BlobWriter } from "../../content/content-store.js";
import type { LocalContentStore } from "../../content/local-store.js";
import { InvalidArgumentError, isDiskFull } from "../../lib/errors.js";
import type { Lease } from "../../metadata/leases.js";
import type { Descriptor } from "../../image/manifest.js";
import { TransientError } from "../../registry/client/http.js";
import type { RepositoryClient } from "../../registry/client/repository.js";
import { withRetries } from "../../registry/client/retry.js";
import { layerProgress, layerStatus, shortId, throttle, type ProgressFn } from "./progress.js";

export interface DownloadOptions {
  content: LocalContentStore;
  repo: RepositoryClient;
  lease: Lease;
  progress: ProgressFn;
  /** dockerd's max-download-attempts (default 5). */
  attempts: number;
  /** Give an attempt up when the registry sends nothing for this long. */
  stallMs: number;
}

/**
 * Download one blob into the content store the way dockerd does: a broken
 * connection, a stall or a 5xx is retried (5 s, 10 s, … back-off, "Retrying
 * in N seconds"), resuming with an HTTP Range from the bytes already
 * written when the registry supports it, from 0 otherwise. The blob is
 * verified against its digest before it becomes visible; a mismatch is final
 * unless the download was resumed (then it starts over once more). Nothing
 * partial is ever stored under the digest.
 */
export async function downloadBlob(desc: Descriptor, o: DownloadOptions): Promise<void> {
  const id = shortId(desc.digest);
  const w = await o.content.writer(`layer ${desc.digest}`);
  let committed = false;
  try {
    await withRetries(o.attempts, async () => {
      const resumed = w.offset > 0;
      await fetchInto(w, desc, o, id);
      o.progress(layerStatus(id, "Verifying Checksum"));
      try {
        await w.commit(desc.digest, o.lease);
        committed = true;
      } catch (err) {
        if (!(err instanceof InvalidArgumentError)) throw err;
        await w.truncate();
        const message = `filesystem layer verification failed for digest ${desc.digest}`;
        // Bytes from two connections may not belong together: a resumed download gets one more go from 0.
        throw resumed ? new TransientError(message) : new InvalidArgumentError(message);
      }
    }, (left) => o.progress(layerStatus(id, `Retrying in ${left} second${left === 1 ? "" : "s"}`)));
  } finally {
    if (!committed) await w.abort();
  }
  o.progress(layerStatus(id, "Download complete"));
}

/** One attempt: GET (ranged when resuming), append to the writer, fail on EOF before the blob's size or on a stall. */
async function fetchInto(w: BlobWriter, desc: Descriptor, o: DownloadOptions, id: string): Promise<void> {
  const from = w.offset;
  const res = await o.repo.getBlob(desc.digest, from || undefined);
  const range = /^bytes (\d+)-/.exec(String(res.headers["content-range"] ?? ""));
  if (from && (res.statusCode !== 206 || Number(range?.[1]) !== from)) await w.truncate(); // no range support: from 0
  const total = desc.size || w.offset + Number(res.headers["content-length"] ?? 0);
  const report = throttle(100, (n) => o.progress(layerProgress(id, "Downloading", n, total)));
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      res.destroy();
    }, o.stallMs);
  };
  arm();
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      arm();
      if (w.offset + chunk.length > total && desc.size) throw new InvalidArgumentError(`failed to download layer ${desc.digest}: the registry sent more than its ${total} bytes`);
      await w.write(chunk);
      report(w.offset);
    }
  } catch (err) {
    if (isDiskFull(err) || err instanceof InvalidArgumentError) throw err;
    throw eof(desc, w.offset, total, stalled, o.stallMs, err);
  } finally {
    clearTimeout(timer);
  }
  if (stalled || w.offset < total) throw eof(desc, w.offset, total, stalled, o.stallMs);
  report(w.offset, true);
}

function eof(desc: Descriptor, got: number, total: number, stalled: boolean, stallMs: number, cause?: unknown): TransientError {
  const why = stalled ? `the registry sent nothing for ${Math.round(stallMs / 1000)}s after ${got} of ${total} bytes` : `unexpected EOF after ${got} of ${total} bytes`;
  return new TransientError(`failed to download layer ${desc.digest}: ${why}`, { cause });
}
