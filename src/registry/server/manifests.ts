import { createHash } from "node:crypto";
import { isIndexType, isManifestType, type ImageIndex, type ImageManifest } from "../../image/manifest.js";
import { errors } from "./registry-error.js";
import { readBody, send, sendJson, type Exchange } from "./exchange.js";

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;

/** A reference that is neither a digest nor a valid tag names nothing: 404 MANIFEST_UNKNOWN, as the OCI conformance suite expects. */
async function resolve(x: Exchange, ref: string): Promise<{ digest: string; mediaType: string }> {
  const digest = DIGEST_RE.test(ref) ? ref : TAG_RE.test(ref) ? await x.storage.resolveTag(x.repo, ref) : undefined;
  const mediaType = digest ? await x.storage.manifestType(x.repo, digest) : undefined;
  if (!digest || mediaType === undefined) throw errors.manifestUnknown(ref);
  return { digest, mediaType };
}

/** GET/HEAD /v2/<name>/manifests/<tag|digest>. */
export async function getManifest(x: Exchange, ref: string): Promise<void> {
  const { digest, mediaType } = await resolve(x, ref);
  // By tag, a client that lists the manifest types it understands gets none it cannot parse
  // (distribution answers an OCI manifest to a Docker-only client this way); a digest is served as stored.
  if (!DIGEST_RE.test(ref) && !accepts(x.req.headers.accept, mediaType)) {
    const kind = isIndexType(mediaType) ? "index" : "manifest";
    throw errors.manifestUnknown(ref, `${mediaType} ${kind} found, but accept header does not support it`);
  }
  const body = await readBlobBuffer(x, digest);
  send(x, 200, { "Content-Type": mediaType, "Docker-Content-Digest": digest, ETag: `"${digest}"`, "Content-Length": body.length }, body);
}

/** PUT /v2/<name>/manifests/<tag|digest>: every referenced blob/manifest must already be in the repository. */
export async function putManifest(x: Exchange, ref: string): Promise<void> {
  const body = await readBody(x.req);
  const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
  if (DIGEST_RE.test(ref) && ref !== digest) throw errors.digestInvalid(`manifest digest ${digest} does not match ${ref}`);
  if (!DIGEST_RE.test(ref) && !TAG_RE.test(ref)) throw errors.tagInvalid(ref);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  } catch {
    throw errors.manifestInvalid("manifest is not valid JSON");
  }
  const ct = String(x.req.headers["content-type"] ?? "").split(";")[0].trim();
  const mediaType = (isIndexType(ct) || isManifestType(ct) ? ct : (doc.mediaType as string)) || (Array.isArray(doc.manifests) ? "application/vnd.oci.image.index.v1+json" : "application/vnd.oci.image.manifest.v1+json");
  if (doc.schemaVersion !== 2) throw errors.manifestInvalid("schemaVersion must be 2");
  if (isManifestType(mediaType)) {
    const m = doc as unknown as ImageManifest;
    if (!m.config?.digest || !Array.isArray(m.layers)) throw errors.manifestInvalid("config and layers are required");
    for (const d of [m.config, ...m.layers]) {
      if (d.urls?.length) continue; // foreign layers live elsewhere
      if ((await x.storage.repoBlobSize(x.repo, d.digest)) === undefined) throw errors.manifestBlobUnknown(d.digest);
    }
  } else if (isIndexType(mediaType)) {
    const idx = doc as unknown as ImageIndex;
    if (!Array.isArray(idx.manifests)) throw errors.manifestInvalid("manifests are required");
    for (const d of idx.manifests) if ((await x.storage.manifestType(x.repo, d.digest)) === undefined) throw errors.manifestBlobUnknown(d.digest);
  } else throw errors.manifestInvalid(`unsupported manifest media type ${mediaType}`);
  await x.storage.putManifest(x.repo, body, mediaType, DIGEST_RE.test(ref) ? undefined : ref);
  const headers: Record<string, string | number> = { Location: `/v2/${x.repo}/manifests/${digest}`, "Docker-Content-Digest": digest, "Content-Length": 0 };
  const subject = doc.subject as { digest?: string } | undefined;
  if (subject?.digest) {
    const config = doc.config as { mediaType?: string } | undefined;
    await x.storage.addReferrer(x.repo, subject.digest, {
      mediaType, digest, size: body.length,
      artifactType: (doc.artifactType as string | undefined) ?? config?.mediaType,
      ...(doc.annotations ? { annotations: doc.annotations } : {}),
    });
    headers["OCI-Subject"] = subject.digest;
  }
  send(x, 201, headers);
}

/** DELETE /v2/<name>/manifests/<digest> (the manifest and its tags) or /<tag> (just the tag). */
export async function deleteManifest(x: Exchange, ref: string): Promise<void> {
  if (DIGEST_RE.test(ref)) {
    if (!(await x.storage.deleteManifest(x.repo, ref))) throw errors.manifestUnknown(ref);
  } else if (!(await x.storage.deleteTag(x.repo, ref))) throw errors.manifestUnknown(ref);
  send(x, 202, { "Content-Length": 0 });
}

/** GET /v2/<name>/referrers/<digest>: an OCI index of manifests whose subject is the digest (?artifactType= filters). */
export async function getReferrers(x: Exchange, digest: string): Promise<void> {
  let list = await x.storage.referrers(x.repo, digest);
  const want = x.url.searchParams.get("artifactType");
  const headers: Record<string, string> = { "Content-Type": "application/vnd.oci.image.index.v1+json" };
  if (want) {
    list = list.filter((d) => d.artifactType === want);
    headers["OCI-Filters-Applied"] = "artifactType";
  }
  sendJson(x, 200, { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: list }, headers);
}

async function readBlobBuffer(x: Exchange, digest: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of x.storage.readBlob(digest)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Whether an Accept header allows `mediaType` (no header, wildcards and application/json allow anything). */
function accepts(header: string | undefined, mediaType: string): boolean {
  if (!header) return true;
  const types = header.split(",").map((t) => t.split(";")[0].trim().toLowerCase()).filter(Boolean);
  if (types.length === 0) return true;
  return types.some((t) => t === mediaType || t === "*/*" || t === "application/*" || t === "application/json");
}
