import { gzipSync } from "node:zlib";
import { sha256 } from "../../helpers/raw-tar.js";

/**
 * Push an image whose only layer is `layerTar` (a hostile one, typically)
 * straight to a registry over the distribution API, as a crafted client
 * would: monolithic blob uploads, then a Docker schema2 manifest.
 */
export async function pushCraftedImage(host: string, repo: string, tag: string, layerTar: Buffer): Promise<void> {
  const layer = gzipSync(layerTar);
  const config = Buffer.from(JSON.stringify({
    architecture: "amd64", os: "linux", config: { Cmd: ["sh"] }, created: "2024-01-01T00:00:00Z",
    rootfs: { type: "layers", diff_ids: [`sha256:${sha256(layerTar)}`] }, history: [{ created: "2024-01-01T00:00:00Z" }],
  }));
  for (const blob of [layer, config]) await uploadBlob(host, repo, blob);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: `sha256:${sha256(config)}` },
    layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: layer.length, digest: `sha256:${sha256(layer)}` }],
  }));
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, {
    method: "PUT", body: new Uint8Array(manifest), headers: { "Content-Type": "application/vnd.docker.distribution.manifest.v2+json" },
  });
  if (res.status !== 201) throw new Error(`manifest PUT: ${res.status} ${await res.text()}`);
}

async function uploadBlob(host: string, repo: string, blob: Buffer): Promise<void> {
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: "POST" });
  if (start.status !== 202) throw new Error(`upload start: ${start.status} ${await start.text()}`);
  const loc = new URL(start.headers.get("location")!, `http://${host}`);
  loc.searchParams.set("digest", `sha256:${sha256(blob)}`);
  const put = await fetch(loc, { method: "PUT", body: new Uint8Array(blob), headers: { "Content-Type": "application/octet-stream" } });
  if (put.status !== 201) throw new Error(`blob PUT: ${put.status} ${await put.text()}`);
}
