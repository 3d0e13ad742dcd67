import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { FaultProxy } from "../../helpers/fault-proxy.js";
import { startWharfRegistry, type TestRegistry } from "../registry/registries.js";

/**
 * Content and layer garbage collection (issue 17): rmi and prunes reclaim
 * every blob and layer nothing references, containers and in-flight pulls
 * keep theirs, daemon start sweeps what a crash left, `system df` tells the
 * truth, and a pull never claims a layer it did not fetch.
 */
describe("garbage collection of content and layers", () => {
  let d: TestDaemon;
  let reg: TestRegistry;
  let proxy: FaultProxy;
  const docker = async (...args: string[]) => {
    const r = await run("docker", args, { env: d.env, timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`docker ${args.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const blobs = async () => (await fs.readdir(path.join(d.dataRoot, "content/blobs/sha256")).catch(() => [] as string[])).sort();
  const overlayEntries = async () => (await fs.readdir(path.join(d.dataRoot, "storage/overlay")).catch(() => [] as string[])).sort();
  const ingests = async () => fs.readdir(path.join(d.dataRoot, "content/ingest")).catch(() => [] as string[]);

  async function ensureBusybox(): Promise<void> {
    if ((await run("docker", ["image", "inspect", "busybox"], { env: d.env })).code !== 0) await d.seedBusybox();
  }

  /** A committed image with a 3 MB layer of random bytes (incompressible, so the blob is that big). */
  async function bigImage(ref: string): Promise<void> {
    await ensureBusybox();
    const c = uniqueName("mk");
    await docker("run", "--name", c, "--network", "none", "busybox", "sh", "-c", "head -c 3000000 /dev/urandom > /big");
    await docker("commit", c, ref);
    await docker("rm", c);
  }

  /** The digest of an image's last (big) layer, as the registry serves it. */
  async function bigLayerDigest(ref: string): Promise<string> {
    const [, repo, tag] = /^[^/]+\/(.+):([^:]+)$/.exec(ref)!;
    const res = await fetch(`http://${reg.host}/v2/${repo}/manifests/${tag}`, { headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" } });
    const m = (await res.json()) as { layers: { digest: string }[] };
    return m.layers[m.layers.length - 1]!.digest;
  }

  before(async () => {
    [d, reg] = await Promise.all([startTestDaemon(), startWharfRegistry()]);
    proxy = new FaultProxy(reg.host);
    await proxy.start();
  });
  after(async () => {
    await proxy?.stop();
    await Promise.all([d?.stop(), reg?.stop()]);
  });

  test("push; rmi; image prune -a leaves no blob, layer or index entry behind; a re-pull really downloads", async () => {
    const ref = `${reg.host}/gc/${uniqueName("img")}:1`;
    await bigImage(ref);
    await docker("push", ref);
    assert.ok((await blobs()).length >= 4, "config, layers and the manifest are stored");
    await docker("rmi", ref);
    await docker("image", "prune", "-a", "-f");
    assert.equal((await docker("images", "-q", "-a")).trim(), "", "no image left");
    assert.deepEqual(await blobs(), [], "the content store holds no unreferenced blob");
    assert.deepEqual(await overlayEntries(), [], "no layer or snapshot left");
    assert.deepEqual(await fs.readdir(path.join(d.dataRoot, "image/layerblobs")).catch(() => []), []);
    assert.deepEqual(await ingests(), []);

    // The old bug: a leaked blob made a pull print "Pull complete" for a layer it never fetched.
    const pulled = await docker("pull", ref);
    assert.doesNotMatch(pulled, /Already exists/);
    const layers = [...pulled.matchAll(/^([0-9a-f]{12}): Pull complete/gm)].map((m) => m[1]);
    assert.equal(layers.length, 2, pulled);
    for (const id of layers) assert.match(pulled, new RegExp(`${id}: (Download complete|Downloading)`), `layer ${id} was downloaded`);
    assert.equal((await docker("run", "--rm", "--network", "none", ref, "sh", "-c", "wc -c < /big")).trim(), "3000000");
    await docker("rmi", ref);
    assert.deepEqual(await blobs(), []);
  });

  test("a container keeps its layers after rmi -f of its image; removing it frees them", async () => {
    await ensureBusybox();
    const before = await overlayEntries();
    const ref = `gc-local/${uniqueName("img")}:1`;
    await bigImage(ref);
    const c = uniqueName("user");
    await docker("create", "--name", c, "--network", "none", ref, "sh", "-c", "wc -c < /big");
    await docker("rmi", "-f", ref);
    assert.equal((await docker("start", "-a", c)).trim(), "3000000", "the rootfs is intact without its image");
    await docker("rm", c);
    await waitFor("the image's layer to be collected", async () => JSON.stringify(await overlayEntries()) === JSON.stringify(before));
  });

  test("a collection during a pull keeps what the pull has written so far", async () => {
    const ref = `${reg.host}/gc/${uniqueName("slow")}:1`;
    await bigImage(ref);
    await docker("push", ref);
    await docker("rmi", ref);
    await docker("image", "prune", "-f");
    let release!: () => void;
    const until = new Promise<void>((r) => (release = r));
    // The big layer stalls half way until the test says go; the other blobs flow.
    const big = await bigLayerDigest(ref);
    proxy.add({ method: "GET", path: new RegExp(`/blobs/${big}`), fault: { kind: "stall", afterBytes: 1_500_000, until } });
    const viaProxy = ref.replace(reg.host, proxy.host);
    const pulling = run("docker", ["pull", viaProxy], { env: d.env, timeoutMs: 120_000 });
    // By then the small layer is downloaded and extracted, the big one half in ingest/.
    await waitFor("the pull to be mid-blob", async () => (await ingests()).length > 0, 30_000);
    await docker("image", "prune", "-a", "-f");
    release();
    const r = await pulling;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal((await docker("run", "--rm", "--network", "none", viaProxy, "sh", "-c", "wc -c < /big")).trim(), "3000000");
    await docker("rmi", viaProxy);
  });

  test("daemon start sweeps partial ingests, extraction dirs and orphans a crash left", async () => {
    const root = d.dataRoot;
    await fs.writeFile(path.join(root, "content/ingest/1700000000000-deadbeef0000"), Buffer.alloc(4096, 1));
    const orphanBlob = path.join(root, "content/blobs/sha256", "e".repeat(64));
    await fs.writeFile(orphanBlob, "not referenced by anything");
    await fs.mkdir(path.join(root, "storage/overlay/.tmp-0123456789abcdef/diff"), { recursive: true });
    const orphanLayer = path.join(root, "storage/overlay", "f".repeat(64));
    await fs.mkdir(path.join(orphanLayer, "diff"), { recursive: true });
    await fs.writeFile(path.join(orphanLayer, "layer.json"), JSON.stringify({ chainId: `sha256:${"f".repeat(64)}`, diffId: `sha256:${"f".repeat(64)}`, size: 0 }));
    const orphanSnapshot = path.join(root, "storage/overlay", "d".repeat(64));
    await fs.mkdir(path.join(orphanSnapshot, "diff"), { recursive: true });
    await ensureBusybox();
    await d.kill9();
    await d.start();
    assert.deepEqual(await ingests(), []);
    for (const p of [orphanBlob, orphanLayer, orphanSnapshot, path.join(root, "storage/overlay/.tmp-0123456789abcdef")]) {
      await assert.rejects(fs.access(p), { code: "ENOENT" }, `${p} is gone`);
    }
    assert.equal((await docker("run", "--rm", "--network", "none", "busybox", "echo", "ok")).trim(), "ok", "busybox survived the sweep");
  });

  test("system df matches du of the data-root within 5 %", async () => {
    const ref = `gc-local/${uniqueName("df")}:1`;
    await bigImage(ref);
    const c = uniqueName("rw");
    const v = uniqueName("vol");
    await docker("run", "--name", c, "--network", "none", "-v", `${v}:/data`, "busybox", "sh", "-c", "head -c 2000000 /dev/urandom > /rw; head -c 1000000 /dev/urandom > /data/v");
    const raw = (await api(d.socket, "GET", "/system/df")).json<{
      LayersSize: number; Containers: { SizeRw?: number }[]; Volumes: { UsageData: { Size: number } }[]; BuildCache: { Size: number }[];
    }>();
    const total = raw.LayersSize + raw.Containers.reduce((a, x) => a + (x.SizeRw ?? 0), 0) + raw.Volumes.reduce((a, x) => a + Math.max(0, x.UsageData.Size), 0) + raw.BuildCache.reduce((a, x) => a + x.Size, 0);
    const du = Number(execFileSync("du", ["-s", "--block-size=1", d.dataRoot]).toString().split("\t")[0]);
    assert.ok(Math.abs(total - du) <= du * 0.05, `system df says ${total} bytes, du ${du}`);
    await docker("rm", "-v", c);
    await docker("volume", "rm", v);
    await docker("rmi", ref);
  });
});
