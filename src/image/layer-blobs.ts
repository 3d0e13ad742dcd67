import { promises as fs } from "node:fs";
import path from "node:path";
import { readJsonIfExists, writeJsonAtomic } from "../lib/atomic-file.js";
import { digestHex } from "../content/digest.js";

/** A stored blob whose uncompressed content is a layer's tar (the diffID names the tar). */
export interface LayerBlob {
  digest: string;
  mediaType: string;
  size: number;
  /** Registry repositories ("host/path") known to hold this blob: candidates for a cross-repo mount. */
  sources?: string[];
}

/**
 * diffID → compressed (or plain) blobs in the content store, persisted as
 * `<dataRoot>/image/layerblobs/<diff hex>.json`. Pull and load record what
 * they stored so push and save reuse the exact bytes (re-tarring an
 * extracted layer would not reproduce the diffID); push records where a
 * blob now lives so a later push can mount instead of upload.
 */
export class LayerBlobIndex {
  constructor(private readonly dir: string) {}

  async get(diffId: string): Promise<LayerBlob[]> {
    return (await readJsonIfExists<LayerBlob[]>(this.file(diffId))) ?? [];
  }

  /** Add or merge a blob for a diffID (sources are unioned). */
  async add(diffId: string, blob: LayerBlob): Promise<void> {
    const list = await this.get(diffId);
    const old = list.find((b) => b.digest === blob.digest);
    if (old) {
      const sources = new Set([...(old.sources ?? []), ...(blob.sources ?? [])]);
      if (sources.size === (old.sources ?? []).length) return;
      old.sources = [...sources];
    } else list.push(blob);
    await fs.mkdir(this.dir, { recursive: true });
    await writeJsonAtomic(this.file(diffId), list);
  }

  /** diffIDs that have an entry (for the garbage collector). */
  async list(): Promise<string[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => /^[0-9a-f]{64}\.json$/.test(n)).map((n) => `sha256:${n.slice(0, 64)}`);
  }

  async forget(diffId: string): Promise<void> {
    await fs.rm(this.file(diffId), { force: true });
  }

  private file(diffId: string): string {
    return path.join(this.dir, `${digestHex(diffId)}.json`);
  }
}
