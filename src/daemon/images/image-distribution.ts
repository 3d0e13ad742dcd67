import { sha256Digest } from "../../content/digest.js";
import type { DockerImageConfig } from "../../image/image-config.js";
import { parseManifest, type Platform } from "../../image/manifest.js";
import { familiarString, parseNormalizedReference, withDefaultTag } from "../../image/reference.js";
import type { AuthConfig } from "../../registry/client/auth.js";
import { readAll } from "../../registry/client/http.js";
import { openRepository } from "../../registry/client/open.js";
import type { RegistryOptions } from "../../registry/client/resolver.js";

/** Engine API `DistributionInspect`. */
export interface DistributionInspect {
  Descriptor: { mediaType: string; digest: string; size: number };
  Platforms: Platform[];
}

/** `GET /distribution/{name}/json`: the manifest's descriptor and the platforms it offers, straight from the registry. */
export async function distributionInspect(name: string, auth: AuthConfig | undefined, opts: RegistryOptions): Promise<DistributionInspect> {
  const ref = withDefaultTag(parseNormalizedReference(name));
  const repo = await openRepository(ref.domain, ref.path, opts, auth, ["pull"]);
  const m = await repo.getManifest(ref.digest ?? ref.tag!, familiarString(ref));
  const parsed = parseManifest(m.body, m.mediaType);
  const Descriptor = { mediaType: parsed.mediaType, digest: sha256Digest(m.body), size: m.body.length };
  if (parsed.kind === "index") {
    return { Descriptor, Platforms: parsed.index.manifests.filter((d) => d.platform).map((d) => d.platform!) };
  }
  const config = JSON.parse((await readAll(await repo.getBlob(parsed.manifest.config.digest), 16 << 20)).toString("utf8")) as DockerImageConfig;
  return { Descriptor, Platforms: [{ architecture: config.architecture, os: config.os, ...(config.variant ? { variant: config.variant } : {}) }] };
}
