import { errors } from "./registry-error.js";
import { send, type Exchange } from "./exchange.js";
import type { UploadState } from "./storage.js";

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

function uploadHeaders(x: Exchange, st: UploadState): Record<string, string | number> {
  return {
    Location: `/v2/${x.repo}/blobs/uploads/${st.uuid}`,
    Range: `0-${Math.max(0, st.size - 1)}`,
    "Docker-Upload-UUID": st.uuid,
    "Content-Length": 0,
  };
}

function created(x: Exchange, digest: string): void {
  send(x, 201, { Location: `/v2/${x.repo}/blobs/${digest}`, "Docker-Content-Digest": digest, "Content-Length": 0 });
}

function wantDigest(x: Exchange): string | undefined {
  const d = x.url.searchParams.get("digest");
  if (d === null) return undefined;
  if (!DIGEST_RE.test(d)) throw errors.digestInvalid(`unsupported or malformed digest "${d}"`);
  return d;
}

/** POST /v2/<name>/blobs/uploads/: open a session, mount from another repository, or upload in one request (?digest=). */
export async function startUpload(x: Exchange): Promise<void> {
  const mount = x.url.searchParams.get("mount");
  const from = x.url.searchParams.get("from");
  if (mount && DIGEST_RE.test(mount) && from && (await x.storage.repoBlobSize(from, mount)) !== undefined) {
    x.req.resume();
    await x.storage.linkBlob(x.repo, mount);
    return created(x, mount);
  }
  const digest = wantDigest(x);
  const st = await x.storage.startUpload(x.repo);
  if (digest) {
    await x.storage.appendUpload(st, x.req);
    await finish(x, st, digest);
    return created(x, digest);
  }
  x.req.resume();
  send(x, 202, uploadHeaders(x, st));
}

/** PATCH: append a chunk (Content-Range "start-end" must continue where the upload stands). */
export async function patchUpload(x: Exchange, uuid: string): Promise<void> {
  const st = await x.storage.upload(x.repo, uuid);
  const cr = x.req.headers["content-range"];
  let offset: number | undefined;
  if (cr) {
    const m = /^(?:bytes )?(\d+)-(\d+)$/.exec(String(cr));
    if (!m) {
      x.req.resume();
      throw errors.rangeInvalid();
    }
    offset = Number(m[1]);
  }
  await x.storage.appendUpload(st, x.req, offset);
  send(x, 202, uploadHeaders(x, st));
}

/** PUT ?digest=: the last (optional) chunk, then verify and commit. */
export async function putUpload(x: Exchange, uuid: string): Promise<void> {
  const st = await x.storage.upload(x.repo, uuid);
  const digest = wantDigest(x);
  if (!digest) {
    x.req.resume();
    throw errors.digestInvalid("digest parameter missing");
  }
  await x.storage.appendUpload(st, x.req);
  await finish(x, st, digest);
  created(x, digest);
}

async function finish(x: Exchange, st: UploadState, digest: string): Promise<void> {
  try {
    await x.storage.finishUpload(st, digest);
  } catch (err) {
    // A bad upload is over: the client must start again (as in distribution).
    await x.storage.cancelUpload(st.uuid);
    throw err;
  }
}

/** GET: where a resumable upload stands. */
export async function uploadStatus(x: Exchange, uuid: string): Promise<void> {
  const st = await x.storage.upload(x.repo, uuid);
  send(x, 204, uploadHeaders(x, st));
}

export async function cancelUpload(x: Exchange, uuid: string): Promise<void> {
  await x.storage.upload(x.repo, uuid);
  await x.storage.cancelUpload(uuid);
  send(x, 204, { "Content-Length": 0 });
}
