import { PassThrough, type Readable } from "node:stream";
import { InvalidArgumentError } from "../../lib/errors.js";
import type { LocalContentStore } from "../../content/local-store.js";
import type { BlobInfo } from "../../content/content-store.js";
import type { LayerBlobIndex } from "../../image/layer-blobs.js";
import { parseNormalizedReference, validateTag, withDefaultTag, type Reference } from "../../image/reference.js";
import type { AuthConfig } from "../../registry/client/auth.js";
import type { Lease } from "../../metadata/leases.js";

export interface PullRequest {
  auth?: AuthConfig;
  platform?: string;
}

/** fromImage + tag as dockerd reads them: the tag parameter may be a tag or a digest. */
export function pullReference(fromImage: string, tag?: string): Reference {
  let ref = parseNormalizedReference(fromImage);
  if (tag) {
    if (/^[a-z0-9]+:[0-9a-f]{32,}$/.test(tag)) {
      if (!tag.startsWith("sha256:")) throw new InvalidArgumentError(`unsupported digest algorithm: ${tag}`);
      ref = { domain: ref.domain, path: ref.path, digest: tag };
    } else {
      validateTag(tag);
      ref = { domain: ref.domain, path: ref.path, tag };
    }
  }
  return withDefaultTag(ref);
}

/**
 * Keep the original bytes of an imported layer tar in the content store
 * while it is being extracted, so push and save can hand out exactly the
 * tar whose digest is the diffID (re-tarring extracted files would not
 * reproduce it). `record` files the blob under the diffID; `discard`
 * drops it when the import failed.
 */
export function keepOriginal(content: LocalContentStore, input: Readable, lease?: Lease): {
  stream: Readable;
  record(index: LayerBlobIndex, diffId: string): Promise<void>;
  discard(): Promise<void>;
} {
  const forExtract = new PassThrough();
  const forStore = new PassThrough();
  input.on("data", (chunk: Buffer) => {
    const a = forExtract.write(chunk);
    // A store side that failed (a full disk) no longer takes data: the import goes on without the copy.
    const b = forStore.destroyed || forStore.write(chunk);
    if (!a || !b) {
      input.pause();
      let pending = (a ? 0 : 1) + (b ? 0 : 1);
      const resume = () => --pending === 0 && input.resume();
      if (!a) forExtract.once("drain", resume);
      if (!b) once(forStore, ["drain", "close"], resume);
    }
  });
  input.on("end", () => {
    forExtract.end();
    if (!forStore.destroyed) forStore.end();
  });
  input.on("error", (err) => {
    forExtract.destroy(err);
    forStore.destroy(err);
  });
  // If extraction gives up early, keep draining so the store side completes or fails cleanly.
  forExtract.on("close", () => input.resume());
  const stored: Promise<BlobInfo | undefined> = content.ingest(forStore, undefined, lease).catch(() => undefined);
  return {
    stream: forExtract,
    async record(index, diffId) {
      const info = await stored;
      if (info) await index.add(diffId, { digest: info.digest, mediaType: "application/octet-stream", size: info.size });
    },
    async discard() {
      forStore.destroy();
      const info = await stored;
      if (info) await content.delete(info.digest);
    },
  };
}

/** Call `fn` once, on whichever of `events` comes first. */
function once(emitter: PassThrough, events: string[], fn: () => void): void {
  const handler = () => {
    for (const e of events) emitter.off(e, handler);
    fn();
  };
  for (const e of events) emitter.on(e, handler);
}
