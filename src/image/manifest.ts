import { parsePlatformSpec } from "./platform-spec.js";
import { InvalidArgumentError } from "../lib/errors.js";
import { hostArchitecture } from "./image-config.js";

/** Media types of the Docker v2 schema2 and OCI image formats that wharf reads and writes. */
export const MediaType = {
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
  dockerForeignLayer: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  ociLayerZstd: "application/vnd.oci.image.layer.v1.tar+zstd",
} as const;

/** What a registry may answer for GET /v2/<name>/manifests/<ref>, in preference order. */
export const MANIFEST_ACCEPT = [
  MediaType.ociIndex, MediaType.dockerManifestList, MediaType.dockerManifest, MediaType.ociManifest,
].join(", ");

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  "os.version"?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  urls?: string[];
  artifactType?: string;
}

/** An image manifest (Docker schema2 or OCI): one config and the layers bottom first. */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
  artifactType?: string;
}

/** A manifest list / OCI index: one manifest per platform. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export function isIndexType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}

export function isManifestType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}

/**
 * Parse a manifest or index body. The Content-Type header wins; when it is
 * missing or generic, the body's own `mediaType`, then its shape, decides.
 * Schema1 and unknown formats are refused with a clear message.
 */
export function parseManifest(body: Buffer, contentType?: string): { kind: "index"; index: ImageIndex; mediaType: string } | { kind: "manifest"; manifest: ImageManifest; mediaType: string } {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new InvalidArgumentError("manifest is not valid JSON");
  }
  const ct = (contentType ?? "").split(";")[0].trim();
  let mt = isIndexType(ct) || isManifestType(ct) ? ct : (doc.mediaType as string | undefined);
  if (!mt) mt = Array.isArray(doc.manifests) ? MediaType.ociIndex : doc.config ? MediaType.ociManifest : undefined;
  if (doc.schemaVersion === 1) throw new InvalidArgumentError("Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed");
  if (isIndexType(mt)) {
    if (!Array.isArray(doc.manifests)) throw new InvalidArgumentError("invalid image index: no manifests");
    return { kind: "index", index: doc as unknown as ImageIndex, mediaType: mt! };
  }
  if (isManifestType(mt)) {
    const m = doc as unknown as ImageManifest;
    if (!m.config || !Array.isArray(m.layers)) throw new InvalidArgumentError("invalid image manifest: config or layers missing");
    return { kind: "manifest", manifest: m, mediaType: mt! };
  }
  throw new InvalidArgumentError(`unsupported manifest media type "${mt ?? ct}"`);
}

/** "linux/amd64/v8" → Platform; default is the host's. */
export function parsePlatformString(s: string | undefined): Platform {
  if (!s) return hostPlatform();
  const { os, architecture: arch, variant } = parsePlatformSpec(s, { os: "linux", architecture: hostArchitecture() });
  if (os !== "linux") throw new InvalidArgumentError(`"${os}": operating system is not supported`);
  return { os, architecture: arch, ...(variant ? { variant } : arch === "arm64" ? { variant: "v8" } : {}) };
}

export function hostPlatform(): Platform {
  const architecture = hostArchitecture();
  return { os: "linux", architecture, ...(architecture === "arm64" ? { variant: "v8" } : {}) };
}

export function platformString(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join("/");
}

/**
 * Choose the manifest for a platform from an index, like containerd's
 * platforms matcher: same os and architecture; a wanted variant must match
 * (arm64 treats "" and "v8" alike); without a wanted variant the first entry wins.
 * Attestation manifests (platform unknown/unknown) never match.
 */
export function selectPlatform(index: ImageIndex, want: Platform): Descriptor | undefined {
  const norm = (arch: string, v?: string) => (arch === "arm64" && (!v || v === "v8") ? "" : v ?? "");
  const candidates = index.manifests.filter((d) => d.platform && d.platform.os === want.os && d.platform.architecture === want.architecture);
  if (!want.variant) return candidates[0];
  return candidates.find((d) => norm(want.architecture, d.platform!.variant) === norm(want.architecture, want.variant)) ??
    candidates.find((d) => !d.platform!.variant);
}
