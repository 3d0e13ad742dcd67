import { createWriteStream, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { create as createTar } from "tar";
import { createHash } from "node:crypto";
import { InvalidArgumentError } from "../../lib/errors.js";
import { digestHex } from "../../content/digest.js";
import { MediaType } from "../../image/manifest.js";
import { familiarString, type Reference } from "../../image/reference.js";
import type { DistributionDeps } from "./distribution-deps.js";
import { uncompressedLayer } from "./layer-source.js";

/**
 * `docker save`: one tar holding both formats docker 25+ writes — an OCI
 * image layout (`oci-layout`, `index.json`, `blobs/sha256/…` with
 * uncompressed layers, a manifest per image) and the docker-archive
 * `manifest.json` + `repositories` that older tools (docker load, skopeo
 * docker-archive:) read. Layer bytes are the exact tars whose digests are
 * the diffIDs, so loading gives back the same image ID.
 */
export async function saveImages(deps: DistributionDeps, names: string[]): Promise<Readable> {
  await deps.images.load();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-save-"));
  try {
    const blobs = path.join(work, "blobs", "sha256");
    await fs.mkdir(blobs, { recursive: true });
    const manifestJson: { Config: string; RepoTags: string[] | null; Layers: string[] }[] = [];
    const repositories: Record<string, Record<string, string>> = {};
    const index: { schemaVersion: 2; mediaType: string; manifests: Record<string, unknown>[] } = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
    const seen = new Map<string, number>();
    for (const name of names) {
      const { record, ref } = await deps.images.resolve(name);
      const tags = ref && ref.tag !== undefined ? [ref] : deps.images.refsOf(record.id).filter((r) => r.tag !== undefined && (!ref || r.path === ref.path));
      const repoTags = tags.map((r) => familiarString(r));
      if (seen.has(record.id)) {
        const entry = manifestJson[seen.get(record.id)!];
        entry.RepoTags = [...new Set([...(entry.RepoTags ?? []), ...repoTags])];
        continue;
      }
      const configBody = await deps.content.read(record.id);
      await fs.writeFile(path.join(blobs, digestHex(record.id)), configBody);
      const config = JSON.parse(configBody.toString("utf8")) as { rootfs: { diff_ids: string[] } };
      const layers: { mediaType: string; digest: string; size: number }[] = [];
      for (let i = 0; i < config.rootfs.diff_ids.length; i++) {
        const diffId = config.rootfs.diff_ids[i];
        const file = path.join(blobs, digestHex(diffId));
        if (!(await exists(file))) {
          const hash = createHash("sha256");
          await pipeline(await uncompressedLayer(deps, diffId, record.chainIds[i]), async function* (src) {
            for await (const c of src) {
              hash.update(c as Buffer);
              yield c as Buffer;
            }
          }, createWriteStream(file));
          const got = `sha256:${hash.digest("hex")}`;
          if (got !== diffId) throw new InvalidArgumentError(`cannot export layer ${diffId} of ${name}: its original bytes were not kept and re-creating it gives ${got}`);
        }
        layers.push({ mediaType: MediaType.ociLayer, digest: diffId, size: (await fs.stat(file)).size });
      }
      const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, digest: record.id, size: configBody.length }, layers }));
      const { sha256Digest } = await import("../../content/digest.js");
      const mdigest = sha256Digest(manifest);
      await fs.writeFile(path.join(blobs, digestHex(mdigest)), manifest);
      const refsForIndex: (Reference | undefined)[] = tags.length ? tags : [undefined];
      for (const r of refsForIndex) {
        index.manifests.push({
          mediaType: MediaType.ociManifest, digest: mdigest, size: manifest.length,
          ...(r ? { annotations: { "io.containerd.image.name": `${r.domain}/${r.path}:${r.tag}`, "org.opencontainers.image.ref.name": r.tag } } : {}),
        });
      }
      seen.set(record.id, manifestJson.length);
      manifestJson.push({ Config: `blobs/sha256/${digestHex(record.id)}`, RepoTags: repoTags.length ? repoTags : null, Layers: config.rootfs.diff_ids.map((d) => `blobs/sha256/${digestHex(d)}`) });
      const top = config.rootfs.diff_ids[config.rootfs.diff_ids.length - 1];
      for (const t of tags) if (top) (repositories[familiarString({ domain: t.domain, path: t.path })] ??= {})[t.tag!] = digestHex(top);
    }
    await fs.writeFile(path.join(work, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    await fs.writeFile(path.join(work, "index.json"), JSON.stringify(index));
    await fs.writeFile(path.join(work, "manifest.json"), JSON.stringify(manifestJson));
    if (Object.keys(repositories).length) await fs.writeFile(path.join(work, "repositories"), JSON.stringify(repositories));
    const entries = ["blobs", "oci-layout", "index.json", "manifest.json", ...(Object.keys(repositories).length ? ["repositories"] : [])];
    const out = new PassThrough();
    const tar = createTar({ cwd: work, portable: true, noMtime: false }, entries) as unknown as Readable;
    tar.on("error", (e) => out.destroy(e));
    tar.pipe(out);
    const cleanup = () => void fs.rm(work, { recursive: true, force: true });
    out.on("close", cleanup);
    out.on("end", cleanup);
    for (const r of names) deps.emit("save", (await deps.images.resolve(r)).record.id, { name: r });
    return out;
  } catch (err) {
    await fs.rm(work, { recursive: true, force: true });
    throw err;
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}
