import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run, uniqueName, waitFor, WHARF } from "../../helpers/daemon.js";
import { startWharfRegistry, uploadRawImage, type TestRegistry } from "./registries.js";

const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/**
 * `wharf registry serve` storage across restarts and crashes (SIGKILL in
 * the middle of a PATCH), and `wharf registry garbage-collect`.
 */
describe("registry server: restarts, crashes and garbage collection", () => {
  let root: string;
  let reg: TestRegistry | undefined;
  const url = (p: string) => `http://${reg!.host}${p}`;

  async function restart(): Promise<void> {
    await reg?.stop();
    reg = await startWharfRegistry({ root });
  }

  async function putBlob(name: string, data: Buffer): Promise<string> {
    const res = await fetch(url(`/v2/${name}/blobs/uploads/?digest=${sha(data)}`), { method: "POST", body: new Uint8Array(data) });
    assert.equal(res.status, 201);
    return sha(data);
  }

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-regdur-"));
    reg = await startWharfRegistry({ root });
  });
  after(async () => {
    await reg?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("keeps manifests, tags and blobs across a restart", async () => {
    const name = `dur/${uniqueName("keep")}`;
    const { layer } = await uploadRawImage(reg!.host, name, "v1", "kept");
    const before = await (await fetch(url(`/v2/${name}/manifests/v1`))).arrayBuffer();
    await restart();
    const after = await fetch(url(`/v2/${name}/manifests/v1`));
    assert.equal(after.status, 200);
    assert.deepEqual(Buffer.from(await after.arrayBuffer()), Buffer.from(before));
    const blob = await fetch(url(`/v2/${name}/blobs/${layer.digest}`), { method: "HEAD" });
    assert.equal(blob.status, 200);
    assert.equal(blob.headers.get("content-length"), String(layer.size));
  });

  it("resumes an upload after the server was killed in the middle of a PATCH, showing no half blob", async () => {
    const name = `dur/${uniqueName("crash")}`;
    const data = randomBytes(2 << 20);
    const start = await fetch(url(`/v2/${name}/blobs/uploads/`), { method: "POST" });
    const location = start.headers.get("location")!;
    const { port } = new URL(url("/"));

    // Stream the first half and stall: the server has written part of it when it dies.
    const half = 1 << 20;
    const req = http.request({ host: "127.0.0.1", port, method: "PATCH", path: location, headers: { "Content-Type": "application/octet-stream", "Transfer-Encoding": "chunked" } });
    const outcome = new Promise<string>((resolve) => {
      req.on("response", (res) => resolve(`response ${res.statusCode}`));
      req.on("error", (err) => resolve(`error ${err.message}`));
    });
    req.write(data.subarray(0, half));
    const uploadData = path.join(root, "uploads", location.split("/").pop()!, "data");
    await waitFor("part of the chunk on disk", async () => ((await fs.stat(uploadData).catch(() => undefined))?.size ?? 0) > 0);
    reg!.proc.kill("SIGKILL");
    assert.match(await outcome, /^error /, "the PATCH never completed");
    req.destroy();

    await restart();
    assert.equal((await fetch(url(`/v2/${name}/blobs/${sha(data)}`), { method: "HEAD" })).status, 404, "no half blob is visible");
    const status = await fetch(url(location));
    assert.equal(status.status, 204);
    const m = /^0-(\d+)$/.exec(status.headers.get("range") ?? "");
    assert.ok(m, `Range header: ${status.headers.get("range")}`);
    const have = Number(m[1]) + 1;
    assert.ok(have > 0 && have <= half, `kept ${have} bytes`);

    // Resume from where the server stands; what it kept is a prefix of what was sent.
    const rest = data.subarray(have);
    const patch = await fetch(url(location), { method: "PATCH", body: new Uint8Array(rest), headers: { "Content-Range": `${have}-${data.length - 1}`, "Content-Type": "application/octet-stream" } });
    assert.equal(patch.status, 202);
    assert.equal(patch.headers.get("range"), `0-${data.length - 1}`);
    const fin = await fetch(url(`${patch.headers.get("location")}?digest=${sha(data)}`), { method: "PUT" });
    assert.equal(fin.status, 201, await fin.text());
    const got = Buffer.from(await (await fetch(url(`/v2/${name}/blobs/${sha(data)}`))).arrayBuffer());
    assert.ok(got.equals(data), "the resumed blob is intact");
  });

  it("garbage-collects unreferenced blobs and keeps referenced ones", async () => {
    const keepName = `gc/${uniqueName("keep")}`;
    const dropName = `gc/${uniqueName("drop")}`;
    const kept = await uploadRawImage(reg!.host, keepName, "v1", "keep me");
    const dropped = await uploadRawImage(reg!.host, dropName, "v1", "drop me");
    const orphan = await putBlob(keepName, randomBytes(512));
    const dropManifest = (await fetch(url(`/v2/${dropName}/manifests/v1`), { method: "HEAD" })).headers.get("docker-content-digest")!;
    assert.equal((await fetch(url(`/v2/${dropName}/manifests/${dropManifest}`), { method: "DELETE" })).status, 202);
    // An upload left open is abandoned state too.
    const open = await fetch(url(`/v2/${keepName}/blobs/uploads/`), { method: "POST" });
    assert.equal(open.status, 202);
    await reg!.stop();
    reg = undefined;

    const blobFile = (d: string) => path.join(root, "blobs", "sha256", d.slice(7));
    const exists = (p: string) => fs.access(p).then(() => true, () => false);

    const dry = await run(process.execPath, [WHARF, "registry", "garbage-collect", "--root", root, "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`blob eligible for deletion: ${orphan}`));
    assert.ok(await exists(blobFile(orphan)), "a dry run deletes nothing");

    const gc = await run(process.execPath, [WHARF, "registry", "garbage-collect", "--root", root]);
    assert.equal(gc.code, 0, gc.stderr);
    for (const d of [orphan, dropped.layer.digest, dropManifest]) {
      assert.match(gc.stdout, new RegExp(`blob eligible for deletion: ${d}`));
      assert.equal(await exists(blobFile(d)), false, `${d} deleted`);
    }
    assert.match(gc.stdout, /\d+ blobs deleted, \d+ bytes freed/);
    assert.ok(await exists(blobFile(kept.layer.digest)), "the referenced layer stays");
    assert.deepEqual(await fs.readdir(path.join(root, "uploads")), []);

    reg = await startWharfRegistry({ root });
    const manifest = await fetch(url(`/v2/${keepName}/manifests/v1`));
    assert.equal(manifest.status, 200);
    const doc = (await manifest.json()) as { config: { digest: string }; layers: { digest: string }[] };
    for (const d of [doc.config.digest, ...doc.layers.map((l) => l.digest)]) {
      assert.equal((await fetch(url(`/v2/${keepName}/blobs/${d}`), { method: "HEAD" })).status, 200, `${d} still served`);
    }
    assert.equal((await fetch(url(`/v2/${keepName}/blobs/${orphan}`), { method: "HEAD" })).status, 404);
  });

  it("with --delete-untagged, drops manifests no tag reaches", async () => {
    const name = `gc/${uniqueName("untag")}`;
    await uploadRawImage(reg!.host, name, "v1", "first");
    const first = (await fetch(url(`/v2/${name}/manifests/v1`), { method: "HEAD" })).headers.get("docker-content-digest")!;
    const second = await uploadRawImage(reg!.host, name, "v1", "second"); // retags v1: the first manifest is untagged now
    await reg!.stop();
    reg = undefined;
    const gc = await run(process.execPath, [WHARF, "registry", "garbage-collect", "--root", root, "--delete-untagged"]);
    assert.equal(gc.code, 0, gc.stderr);
    assert.match(gc.stdout, new RegExp(`manifest eligible for deletion: ${name}@${first}`));
    reg = await startWharfRegistry({ root });
    assert.equal((await fetch(url(`/v2/${name}/manifests/${first}`), { method: "HEAD" })).status, 404);
    assert.equal((await fetch(url(`/v2/${name}/manifests/v1`), { method: "HEAD" })).status, 200);
    assert.equal((await fetch(url(`/v2/${name}/blobs/${second.layer.digest}`), { method: "HEAD" })).status, 200);
  });
});
