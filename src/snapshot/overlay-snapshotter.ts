import { createHash, randomBytes } from "node:crypto";
import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import { Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ConflictError, describeWriteError, InvalidArgumentError, NotFoundError } from "../lib/errors.js";
import { layerKey, snapshotKey, type Lease } from "../metadata/leases.js";
import { readJsonIfExists, writeJsonAtomic } from "../lib/atomic-file.js";
import { digestHex, isDigest, type Digest } from "../content/digest.js";
import { chainIdOf } from "./chain-id.js";
import { AutoDecompress } from "./decompress.js";
import { dirSize } from "./dir-size.js";
import { extractLayer } from "./layer-extract.js";
import { mountsUnder } from "./mounts.js";
import type { AppliedLayer, ApplyOptions, LayerInfo, PreparedSnapshot, Snapshotter } from "./snapshotter.js";

const TMP_PREFIX = ".tmp-";
const KEY_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * Docker's overlay2 model on disk: `<root>/<chain hex>/diff` per layer with
 * a `layer.json` ({chainId, diffId, parent, size}); container snapshots at
 * `<root>/<key>/{diff,work,merged}`. root is `<dataRoot>/storage/overlay`.
 */
export class OverlaySnapshotter implements Snapshotter {
  private ready: Promise<void> | undefined;
  /** Temp dirs (extractions, removals) a running call owns; the collector leaves them alone. */
  private readonly activeTmp = new Set<string>();

  constructor(readonly root: string) {}

  /** Create the root and clear extraction dirs a crash left behind. */
  private init(): Promise<void> {
    this.ready ??= (async () => {
      await fs.mkdir(this.root, { recursive: true, mode: 0o710 });
      for (const name of await fs.readdir(this.root)) {
        if (name.startsWith(TMP_PREFIX)) await fs.rm(path.join(this.root, name), { recursive: true, force: true });
      }
    })();
    return this.ready;
  }

  layerDir(chainId: string): string {
    if (!isDigest(chainId)) throw new InvalidArgumentError(`invalid layer chain id "${chainId}"`);
    return path.join(this.root, digestHex(chainId));
  }

  async applyLayer(parentChainId: string | undefined, tar: Readable, opts: ApplyOptions = {}): Promise<AppliedLayer> {
    await this.init();
    if (parentChainId !== undefined) await opts.lease?.hold(layerKey(parentChainId));
    if (parentChainId !== undefined && !(await this.hasLayer(parentChainId))) {
      tar.resume();
      throw new NotFoundError(`parent layer ${parentChainId} does not exist`);
    }
    if (opts.diffId && isDigest(opts.diffId)) {
      const chainId = chainIdOf(parentChainId, opts.diffId);
      await opts.lease?.hold(layerKey(chainId));
      const known = await this.getLayer(chainId);
      if (known) {
        await drainAndVerify(tar, opts.diffId);
        return { chainId: known.chainId, diffId: known.diffId, size: known.size };
      }
    }
    const tmp = this.tempDir();
    try {
      await fs.mkdir(path.join(tmp, "diff"), { recursive: true, mode: 0o755 });
      const { diffId, size } = await extractLayer(tar, path.join(tmp, "diff"));
      const chainId = chainIdOf(parentChainId, diffId);
      const info: LayerInfo = { chainId, diffId, size, ...(parentChainId ? { parent: parentChainId as Digest } : {}) };
      await opts.lease?.hold(layerKey(chainId));
      const existing = await this.getLayer(chainId);
      if (existing) {
        await fs.rm(tmp, { recursive: true, force: true });
        return { chainId, diffId, size: existing.size };
      }
      await writeJsonAtomic(path.join(tmp, "layer.json"), info);
      try {
        await fs.rename(tmp, this.layerDir(chainId));
      } catch (err) {
        // Another extraction of the same content won the race: use its copy.
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== "ENOTEMPTY" && code !== "EEXIST") throw err;
        await fs.rm(tmp, { recursive: true, force: true });
      }
      return { chainId, diffId, size };
    } catch (err) {
      if (!tar.destroyed) tar.destroy();
      await fs.rm(tmp, { recursive: true, force: true });
      throw describeWriteError(err, `layer${opts.diffId ? ` ${opts.diffId}` : ""} in ${this.root}`);
    } finally {
      this.activeTmp.delete(path.basename(tmp));
    }
  }

  async hasLayer(chainId: string): Promise<boolean> {
    return (await this.getLayer(chainId)) !== undefined;
  }

  async getLayer(chainId: string): Promise<LayerInfo | undefined> {
    if (!isDigest(chainId)) return undefined;
    return readJsonIfExists<LayerInfo>(path.join(this.layerDir(chainId), "layer.json"));
  }

  lowerDirs(chainId: string): string[] {
    const dirs: string[] = [];
    let cur: string | undefined = chainId;
    while (cur) {
      const dir = this.layerDir(cur);
      let info: LayerInfo;
      try {
        info = JSON.parse(readFileSync(path.join(dir, "layer.json"), "utf8")) as LayerInfo;
      } catch {
        throw new NotFoundError(`layer ${cur} does not exist`);
      }
      dirs.push(path.join(dir, "diff"));
      cur = info.parent;
    }
    return dirs;
  }

  async prepare(key: string, parentChainId: string | undefined, lease?: Lease): Promise<PreparedSnapshot> {
    await this.init();
    const dir = this.snapshotDir(key);
    await lease?.hold(snapshotKey(key), ...(parentChainId ? [layerKey(parentChainId)] : []));
    let lowerDirs = parentChainId ? this.lowerDirs(parentChainId) : [];
    try {
      await fs.mkdir(dir, { recursive: true, mode: 0o710 });
      for (const sub of ["diff", "work", "merged"]) await fs.mkdir(path.join(dir, sub), { recursive: true, mode: 0o755 });
      if (lowerDirs.length === 0) {
        // overlayfs needs at least one lower dir; an image without layers gets an empty one.
        const empty = path.join(dir, "empty");
        await fs.mkdir(empty, { recursive: true, mode: 0o755 });
        lowerDirs = [empty];
      }
      await writeJsonAtomic(path.join(dir, "snapshot.json"), { key, parent: parentChainId ?? null });
    } catch (err) {
      throw describeWriteError(err, `the filesystem of ${key}`);
    }
    return {
      upperDir: path.join(dir, "diff"),
      workDir: path.join(dir, "work"),
      lowerDirs,
      mergedDir: path.join(dir, "merged"),
    };
  }

  async remove(key: string): Promise<void> {
    const dir = this.snapshotDir(key);
    await this.refuseIfMounted(dir, `snapshot ${key}`);
    await fs.rm(dir, { recursive: true, force: true });
  }

  async removeLayer(chainId: string): Promise<void> {
    const dir = this.layerDir(chainId);
    await this.refuseIfMounted(dir, `layer ${chainId}`);
    // Rename first so a crash mid-delete never leaves a half-deleted layer under its real name.
    const doomed = this.tempDir("rm-");
    try {
      await fs.rename(dir, doomed);
    } catch (err) {
      this.activeTmp.delete(path.basename(doomed));
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    try {
      await fs.rm(doomed, { recursive: true, force: true });
    } finally {
      this.activeTmp.delete(path.basename(doomed));
    }
  }

  /** Every layer on disk: chain IDs with their parent and diffID (from layer.json). */
  async listLayers(): Promise<LayerInfo[]> {
    await this.init();
    const out: LayerInfo[] = [];
    for (const name of await fs.readdir(this.root)) {
      if (!/^[0-9a-f]{64}$/.test(name)) continue;
      const info = await readJsonIfExists<LayerInfo>(path.join(this.root, name, "layer.json")).catch(() => undefined);
      if (info?.chainId === `sha256:${name}`) out.push(info);
    }
    return out;
  }

  /** Keys of container snapshots on disk (directories that are neither layers nor temp dirs). */
  async listSnapshots(): Promise<string[]> {
    await this.init();
    const out: string[] = [];
    for (const name of await fs.readdir(this.root)) {
      if (name.startsWith(TMP_PREFIX) || !KEY_RE.test(name)) continue;
      if (await fs.access(path.join(this.root, name, "layer.json")).then(() => true, () => false)) continue;
      out.push(name);
    }
    return out;
  }

  /** Remove temp dirs no running call owns (extractions and removals a crash interrupted). */
  async sweepTemp(): Promise<void> {
    for (const name of await fs.readdir(this.root).catch(() => [] as string[])) {
      if (!name.startsWith(TMP_PREFIX) || this.activeTmp.has(name)) continue;
      const dir = path.join(this.root, name);
      if ((await mountsUnder(dir)).length > 0) continue;
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  async usage(key: string): Promise<number> {
    return dirSize(path.join(this.snapshotDir(key), "diff"));
  }

  private tempDir(kind = ""): string {
    const name = `${TMP_PREFIX}${kind}${randomBytes(8).toString("hex")}`;
    this.activeTmp.add(name);
    return path.join(this.root, name);
  }

  private snapshotDir(key: string): string {
    if (!KEY_RE.test(key) || key.startsWith(TMP_PREFIX)) throw new InvalidArgumentError(`invalid snapshot key "${key}"`);
    return path.join(this.root, key);
  }

  private async refuseIfMounted(dir: string, what: string): Promise<void> {
    const mounted = await mountsUnder(dir);
    if (mounted.length > 0) {
      throw new ConflictError(`cannot remove ${what}: ${mounted[0]} is still mounted; unmount it first`);
    }
  }
}

/** Consume a layer we already have, checking it really is the content the caller claimed. */
async function drainAndVerify(tar: Readable, diffId: string): Promise<void> {
  const hash = createHash("sha256");
  await pipeline(tar, new AutoDecompress(), new Writable({
    write(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb();
    },
  }));
  const got = `sha256:${hash.digest("hex")}`;
  if (got !== diffId) throw new InvalidArgumentError(`layer content does not match diffID ${diffId} (got ${got})`);
}
