import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { startWharfRegistry, type TestRegistry } from "./registries.js";

const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

interface Seen { method: string; path: string; contentRange?: string; length: number }

/**
 * A loopback proxy in front of the registry that records every request and
 * can cut one PATCH off in the middle (a connection lost during a push).
 */
async function recordingProxy(target: string): Promise<{ host: string; seen: Seen[]; cutPatch: number; close(): Promise<void> }> {
  const state = { seen: [] as Seen[], cutPatch: 0, patches: 0 };
  const [thost, tport] = target.split(":");
  const server = http.createServer((req, res) => {
    const entry: Seen = { method: req.method!, path: req.url!, contentRange: req.headers["content-range"], length: 0 };
    state.seen.push(entry);
    const cut = req.method === "PATCH" && ++state.patches === state.cutPatch;
    const up = http.request({ host: thost, port: Number(tport), method: req.method, path: req.url, headers: req.headers }, (ures) => {
      res.writeHead(ures.statusCode!, ures.headers);
      ures.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.on("data", (c: Buffer) => {
      entry.length += c.length;
      up.write(c);
      if (cut && entry.length >= 1 << 20) {
        up.destroy();
        req.socket.destroy();
      }
    });
    req.on("end", () => up.end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    host: `127.0.0.1:${(server.address() as { port: number }).port}`,
    seen: state.seen,
    set cutPatch(n: number) {
      state.cutPatch = n;
    },
    get cutPatch() {
      return state.cutPatch;
    },
    close: () => new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

/** Large layers go up in PATCH chunks and survive a connection cut; zstd layers are pulled through the zstd program. */
describe("push in chunks, pull zstd layers", () => {
  let d: TestDaemon;
  let reg: TestRegistry;
  let dir: string;
  const docker = async (args: string[], env: Record<string, string> = {}) => {
    const r = await run("docker", args, { env: { ...d.env, ...env }, timeoutMs: 180_000 });
    assert.equal(r.code, 0, `docker ${args.join(" ")}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-chunked-"));
    [d, reg] = await Promise.all([startTestDaemon(), startWharfRegistry()]);
  });
  after(async () => {
    await Promise.all([d?.stop(), reg?.stop()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("pushes a large layer with ranged PATCHes, resumes after a cut connection, and pulls it back intact", async () => {
    const big = randomBytes(20 << 20); // random: gzip cannot shrink it below the chunking threshold
    const ctx = path.join(dir, "ctx");
    await fs.mkdir(ctx);
    await fs.writeFile(path.join(ctx, "big"), big);
    await fs.writeFile(path.join(ctx, "Dockerfile"), "FROM busybox\nCOPY big /big\n");
    const local = `chunked-${uniqueName("img")}`;
    await docker(["build", "-q", "-t", local, ctx], { DOCKER_BUILDKIT: "0" });

    const proxy = await recordingProxy(reg.host);
    try {
      proxy.cutPatch = 2;
      const ref = `${proxy.host}/chunk/${uniqueName("bb")}:1`;
      await docker(["tag", local, ref]);
      const out = await docker(["push", ref]);
      assert.match(out, /Pushed/);

      const patches = proxy.seen.filter((s) => s.method === "PATCH");
      assert.ok(patches.length >= 3, `PATCHes: ${JSON.stringify(patches)}`);
      for (const p of patches) assert.match(p.contentRange ?? "", /^\d+-\d+$/);
      assert.equal(patches[0].contentRange, `0-${(8 << 20) - 1}`);
      // After the cut, the client asked where the upload stood and continued from there.
      const cutAt = proxy.seen.indexOf(patches[1]);
      const status = proxy.seen.slice(cutAt + 1).find((s) => s.method === "GET" && /\/blobs\/uploads\//.test(s.path));
      assert.ok(status, "an upload status request followed the cut");
      const resumed = patches[2].contentRange!.split("-").map(Number);
      assert.ok(resumed[0] > 8 << 20 && resumed[0] <= 16 << 20, `resumed at ${resumed[0]}`);
      // Small blobs (busybox's layer, the config) still go in one PUT with the body.
      assert.ok(proxy.seen.some((s) => s.method === "PUT" && s.length > 0 && /\/blobs\/uploads\//.test(s.path)));

      await docker(["rmi", ref, local]);
      await docker(["pull", ref]);
      const sum = await docker(["run", "--rm", ref, "sha256sum", "/big"]);
      assert.equal(`sha256:${sum.split(" ")[0]}`, sha(big));
      await docker(["rmi", ref]);
    } finally {
      await proxy.close();
    }
  });

  it("pulls an OCI image with a zstd layer and pushes it on as zstd", async (t) => {
    if ((await run("zstd", ["--version"])).code !== 0) return t.skip("zstd is not installed");
    const { create } = await import("tar");
    const work = path.join(dir, "zstd");
    await fs.mkdir(work);
    const payload = `zstd payload ${uniqueName()}`;
    await fs.writeFile(path.join(work, "payload.txt"), payload);
    await create({ cwd: work, file: path.join(work, "layer.tar"), portable: true }, ["payload.txt"]);
    const zr = await run("zstd", ["-q", "-f", path.join(work, "layer.tar"), "-o", path.join(work, "layer.tar.zst")]);
    assert.equal(zr.code, 0, zr.stderr);
    const tar = await fs.readFile(path.join(work, "layer.tar"));
    const zst = await fs.readFile(path.join(work, "layer.tar.zst"));
    const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", config: { Cmd: ["/payload.txt"] }, rootfs: { type: "layers", diff_ids: [sha(tar)] } }));
    const repo = `zstd/${uniqueName("z")}`;
    for (const blob of [zst, config]) {
      const res = await fetch(`http://${reg.host}/v2/${repo}/blobs/uploads/?digest=${sha(blob)}`, { method: "POST", body: new Uint8Array(blob) });
      assert.equal(res.status, 201);
    }
    const manifest = {
      schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha(config), size: config.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+zstd", digest: sha(zst), size: zst.length }],
    };
    const put = await fetch(`http://${reg.host}/v2/${repo}/manifests/1`, { method: "PUT", body: JSON.stringify(manifest), headers: { "Content-Type": manifest.mediaType } });
    assert.equal(put.status, 201);

    const ref = `${reg.host}/${repo}:1`;
    assert.match(await docker(["pull", ref]), /Pull complete/);
    const name = uniqueName("zc");
    await docker(["create", "--name", name, ref]);
    try {
      const cp = await run("docker", ["cp", `${name}:/payload.txt`, "-"], { env: d.env });
      assert.equal(cp.code, 0, cp.stderr);
      assert.ok(cp.stdout.includes(payload), "the file from the zstd layer is in the image");
    } finally {
      await run("docker", ["rm", "-f", name], { env: d.env });
    }

    const onward = `${reg.host}/${repo}-copy:1`;
    await docker(["tag", ref, onward]);
    await docker(["push", onward]);
    const pushed = (await (await fetch(`http://${reg.host}/v2/${repo}-copy/manifests/1`, { headers: { Accept: manifest.mediaType } })).json()) as typeof manifest;
    assert.equal(pushed.mediaType, manifest.mediaType);
    assert.deepEqual(pushed.layers.map((l) => [l.mediaType, l.digest]), [["application/vnd.oci.image.layer.v1.tar+zstd", sha(zst)]]);
  });
});
