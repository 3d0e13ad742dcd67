import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { run, TestDaemon, uniqueName } from "../../helpers/daemon.js";
import { FaultProxy } from "../../helpers/fault-proxy.js";
import { startWharfRegistry, type TestRegistry } from "./registries.js";

/**
 * Registry faults (issue 17), with a test-controlled proxy in front of a
 * real registry: dropped connections and stalls are resumed with a Range
 * request after dockerd's back-off, 5xx answers are retried, a wrong digest
 * fails clearly, and nothing partial is ever recorded.
 */
describe("pulls and pushes under registry faults", () => {
  let d: TestDaemon;
  let reg: TestRegistry;
  let proxy: FaultProxy;
  let ref = "";
  let big = "";
  const docker = (...args: string[]) => run("docker", args, { env: d.env, timeoutMs: 180_000 });
  const ok = async (...args: string[]) => {
    const r = await docker(...args);
    assert.equal(r.code, 0, `docker ${args.join(" ")}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const viaProxy = () => ref.replace(reg.host, proxy.host);
  const blobGets = () => proxy.seen.filter((r) => r.method === "GET" && r.path.includes(`/blobs/${big}`));
  const nothingRecorded = async () => {
    assert.equal((await docker("image", "inspect", viaProxy())).code, 1, "no image recorded");
    assert.equal(await fs.access(path.join(d.dataRoot, "content/blobs/sha256", big.slice(7))).then(() => true, () => false), false, "no blob");
    assert.deepEqual(await fs.readdir(path.join(d.dataRoot, "content/ingest")), [], "no partial download left");
  };

  before(async () => {
    reg = await startWharfRegistry();
    d = new TestDaemon();
    await fs.mkdir(d.base, { recursive: true });
    const conf = path.join(d.base, "daemon.json");
    await fs.writeFile(conf, JSON.stringify({ "max-download-attempts": 3, "registry-stall-timeout": 2 }));
    await d.start(["--config-file", conf]);
    await d.seedBusybox();
    proxy = new FaultProxy(reg.host);
    await proxy.start();
    // An image with a 3 MB layer of random bytes (one big blob to cut in half).
    ref = `${reg.host}/faults/${uniqueName("img")}:1`;
    const c = uniqueName("mk");
    await ok("run", "--name", c, "--network", "none", "busybox", "sh", "-c", "head -c 3000000 /dev/urandom > /big");
    await ok("commit", c, ref);
    await ok("rm", c);
    await ok("push", ref);
    const [, repo, tag] = /^[^/]+\/(.+):([^:]+)$/.exec(ref)!;
    const m = (await (await fetch(`http://${reg.host}/v2/${repo}/manifests/${tag}`, { headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" } })).json()) as { layers: { digest: string }[] };
    big = m.layers[m.layers.length - 1]!.digest;
    await ok("rmi", ref);
  });
  after(async () => {
    await proxy?.stop();
    await Promise.all([d?.stop(), reg?.stop()]);
  });

  async function pullAndCheck(): Promise<string> {
    const out = await ok("pull", viaProxy());
    assert.equal((await ok("run", "--rm", "--network", "none", viaProxy(), "sh", "-c", "wc -c < /big")).trim(), "3000000");
    await ok("rmi", viaProxy());
    proxy.rules.length = 0;
    return out;
  }

  test("a connection cut mid-layer is resumed with a Range request after the back-off", async () => {
    proxy.seen.length = 0;
    proxy.add({ method: "GET", path: new RegExp(`/blobs/${big}`), fault: { kind: "drop", afterBytes: 1_000_000 } });
    const out = await pullAndCheck();
    assert.match(out, /Retrying in 5 seconds/);
    const gets = blobGets();
    assert.equal(gets.length, 2, JSON.stringify(gets));
    // Only the rest: from what arrived before the cut (bytes in flight are lost with the connection).
    const from = Number(/^bytes=(\d+)-$/.exec(gets[1]!.range ?? "")?.[1]);
    assert.ok(from > 0 && from <= 1_000_000, `resumed from ${gets[1]!.range}`);
  });

  test("a registry that ignores Range gets the blob again from the start", async () => {
    proxy.seen.length = 0;
    proxy.add({ method: "GET", path: new RegExp(`/blobs/${big}`), fault: { kind: "drop", afterBytes: 800_000 } });
    proxy.add({ method: "GET", path: new RegExp(`/blobs/${big}`), fault: { kind: "ignoreRange" } });
    await pullAndCheck();
    assert.equal(blobGets().length, 2);
  });

  test("a 503 is retried and the pull completes when the registry recovers", async () => {
    proxy.seen.length = 0;
    proxy.add({ method: "GET", path: new RegExp(`/blobs/${big}`), fault: { kind: "status", status: 503 } });
    const out = await pullAndCheck();
    assert.match(out, /Retrying in \d+ seconds?/);
    assert.deepEqual(blobGets().map((g) => g.status), [503, 200]);
  });

  test("a stalled transfer is given up after the stall timeout and resumed", async () => {
    proxy.seen.length = 0;
    let release!: () => void;
    const until = new Promise<void>((r) => (release = r));
    proxy.add({ method: "GET", path: new RegExp(`/blobs/${big}`), fault: { kind: "stall", afterBytes: 1_200_000, until, cut: true } });
    try {
      await pullAndCheck();
    } finally {
      release();
    }
    const gets = blobGets();
    assert.equal(gets.length, 2);
    assert.match(gets[1]!.range ?? "", /^bytes=[1-9]\d*-$/);
  });

  test("a blob with the wrong digest fails the pull at once, clearly, and records nothing", async () => {
    proxy.seen.length = 0;
    proxy.add({ method: "GET", path: new RegExp(`/blobs/${big}`), fault: { kind: "corrupt" }, times: Infinity });
    const r = await docker("pull", viaProxy());
    proxy.rules.length = 0;
    assert.notEqual(r.code, 0);
    assert.match(r.stderr + r.stdout, new RegExp(`filesystem layer verification failed for digest ${big}`));
    assert.equal(blobGets().length, 1, "a verified mismatch is not retried");
    await nothingRecorded();
  });

  test("retries give up after max-download-attempts with the reason, and record nothing", async () => {
    proxy.seen.length = 0;
    proxy.add({ method: "GET", path: new RegExp(`/blobs/${big}`), fault: { kind: "drop", afterBytes: 500_000 }, times: Infinity });
    const r = await docker("pull", viaProxy());
    proxy.rules.length = 0;
    assert.notEqual(r.code, 0);
    assert.match(r.stderr + r.stdout, new RegExp(`failed to download layer ${big}: unexpected EOF after \\d+ of \\d+ bytes`));
    assert.equal(blobGets().length, 3, "max-download-attempts (3) requests");
    await nothingRecorded();
  });

  test("a push retries an upload the registry answered with 500", async () => {
    const target = `${proxy.host}/faults/${uniqueName("push")}:1`;
    await ok("pull", ref); // back in the local store, from the registry directly
    await ok("tag", ref, target);
    proxy.seen.length = 0;
    proxy.add({ method: "PUT", path: /\/blobs\/uploads\//, fault: { kind: "status", status: 500 } });
    const out = await ok("push", target);
    proxy.rules.length = 0;
    assert.match(out, /Retrying in \d+ seconds?/);
    assert.match(out, /1: digest: sha256:[0-9a-f]{64}/);
    await ok("rmi", target, ref);
    assert.equal((await ok("pull", target)).includes("Downloaded newer image"), true);
  });
});
