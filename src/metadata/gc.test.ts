import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { LocalContentStore } from "../content/local-store.js";
import { OverlaySnapshotter } from "../snapshot/overlay-snapshotter.js";
import { LayerBlobIndex } from "../image/layer-blobs.js";
import { buildTar } from "../snapshot/test-tar.js";
import { GarbageCollector, type GcRoots } from "./gc.js";
import { blobKey, LeaseManager } from "./leases.js";

describe("garbage collector", () => {
  let root: string;
  let content: LocalContentStore;
  let layers: OverlaySnapshotter;
  let layerBlobs: LayerBlobIndex;
  let leases: LeaseManager;
  let gc: GarbageCollector;
  let roots: GcRoots = { blobs: [], layers: [], snapshots: [] };

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-gc-"));
    content = new LocalContentStore(path.join(root, "content"));
    layers = new OverlaySnapshotter(path.join(root, "overlay"));
    layerBlobs = new LayerBlobIndex(path.join(root, "layerblobs"));
    leases = new LeaseManager();
    gc = new GarbageCollector({ content, layers, layerBlobs, leases, roots: () => roots });
  });
  after(() => fs.rm(root, { recursive: true, force: true }));

  const layer = async (parent: string | undefined, name: string) => {
    const tar = buildTar([{ path: name, body: `content of ${name}` }]);
    const applied = await layers.applyLayer(parent, Readable.from([tar]));
    const blob = await content.put(tar);
    await layerBlobs.add(applied.diffId, { digest: blob.digest, mediaType: "application/vnd.oci.image.layer.v1.tar", size: blob.size });
    return { ...applied, blob: blob.digest };
  };

  it("keeps what roots and leases reference, with ancestors and layer blobs; removes the rest", async () => {
    const base = await layer(undefined, "base");
    const top = await layer(base.chainId, "top");
    const other = await layer(undefined, "other");
    const config = await content.put('{"config":1}');
    const orphan = await content.put("orphan");
    const leased = await content.put("leased");
    await layers.prepare("ctr1", top.chainId);
    await layers.prepare("ctr-gone", base.chainId);
    // Debris of a crash: a partial ingest and an extraction dir.
    await fs.writeFile(path.join(root, "content", "ingest", "123-dead"), "partial");
    await fs.mkdir(path.join(root, "overlay", ".tmp-deadbeef", "diff"), { recursive: true });

    roots = { blobs: [config.digest], layers: [top.chainId], snapshots: ["ctr1"] };
    const lease = leases.create();
    await lease.hold(blobKey(leased.digest));
    const report = await gc.collect();
    lease.release();

    assert.deepEqual(report.layers, [other.chainId]);
    assert.deepEqual(new Set(report.blobs), new Set([other.blob, orphan.digest]));
    assert.deepEqual(report.snapshots, ["ctr-gone"]);
    for (const d of [base.blob, top.blob, config.digest, leased.digest]) assert.ok(await content.has(d), d);
    assert.ok(await layers.hasLayer(base.chainId), "an ancestor of a root is kept");
    assert.deepEqual(new Set(await layerBlobs.list()), new Set([base.diffId, top.diffId]));
    assert.deepEqual(await fs.readdir(path.join(root, "content", "ingest")), []);
    assert.deepEqual((await fs.readdir(path.join(root, "overlay"))).filter((n) => n.startsWith(".tmp-")), []);

    roots = { blobs: [], layers: [], snapshots: [] };
    await gc.collect();
    assert.deepEqual(await content.list(), []);
    assert.deepEqual(await layers.listLayers(), []);
    assert.deepEqual(await layers.listSnapshots(), []);
    assert.deepEqual(await layerBlobs.list(), []);
  });

  it("a hold asked for during a collection waits for it; an ingest in progress is never swept", async () => {
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const marking = new Promise<void>((r) => (started = r));
    const slow = new GarbageCollector({ content, layers, layerBlobs, leases, roots: async () => (started(), await gate, roots) });
    const collecting = slow.collect();
    await marking;
    const lease = leases.create();
    let held = false;
    const holding = lease.hold(blobKey("sha256:" + "a".repeat(64))).then(() => (held = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(held, false, "no hold is granted while the collector runs");
    release();
    await collecting;
    await holding;
    assert.equal(held, true);
    lease.release();

    // A stream that is still being written stays in ingest/ across a collection.
    const source = new Readable({ read() {} });
    source.push("first part ");
    const ingesting = content.ingest(source);
    await new Promise((r) => setTimeout(r, 20));
    await gc.collect();
    source.push("and the rest");
    source.push(null);
    const info = await ingesting;
    assert.equal((await content.read(info.digest)).toString(), "first part and the rest");
  });
});
