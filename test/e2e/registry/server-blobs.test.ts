import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { uniqueName } from "../../helpers/daemon.js";
import { startWharfRegistry, type TestRegistry } from "./registries.js";

const bytes = (b: Buffer) => new Uint8Array(b);
const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** Blobs and uploads of `wharf registry serve`, raw HTTP against the distribution API (OCI distribution-spec v1.1). */
describe("registry server: blobs and uploads", () => {
  let reg: TestRegistry;
  const url = (p: string) => `http://${reg.host}${p}`;
  const repo = () => `blobs/${uniqueName("r")}`;

  /** One monolithic upload (POST ?digest=); returns the digest. */
  async function putBlob(name: string, data: Buffer): Promise<string> {
    const digest = sha(data);
    const res = await fetch(url(`/v2/${name}/blobs/uploads/?digest=${digest}`), { method: "POST", body: bytes(data), headers: { "Content-Type": "application/octet-stream" } });
    assert.equal(res.status, 201, await res.text());
    return digest;
  }

  async function errorCode(res: Response): Promise<string> {
    return ((await res.json()) as { errors: { code: string }[] }).errors[0].code;
  }

  before(async () => {
    reg = await startWharfRegistry();
  });
  after(async () => {
    await reg?.stop();
  });

  it("serves a blob with GET, HEAD and single ranges", async () => {
    const name = repo();
    const data = randomBytes(1000);
    const digest = await putBlob(name, data);

    const head = await fetch(url(`/v2/${name}/blobs/${digest}`), { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "1000");
    assert.equal(head.headers.get("docker-content-digest"), digest);
    assert.equal(head.headers.get("accept-ranges"), "bytes");

    const full = await fetch(url(`/v2/${name}/blobs/${digest}`));
    assert.equal(full.status, 200);
    assert.deepEqual(Buffer.from(await full.arrayBuffer()), data);

    const part = await fetch(url(`/v2/${name}/blobs/${digest}`), { headers: { Range: "bytes=10-19" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 10-19/1000");
    assert.equal(part.headers.get("content-length"), "10");
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), data.subarray(10, 20));

    const open = await fetch(url(`/v2/${name}/blobs/${digest}`), { headers: { Range: "bytes=990-" } });
    assert.equal(open.status, 206);
    assert.deepEqual(Buffer.from(await open.arrayBuffer()), data.subarray(990));

    const suffix = await fetch(url(`/v2/${name}/blobs/${digest}`), { headers: { Range: "bytes=-5" } });
    assert.equal(suffix.headers.get("content-range"), "bytes 995-999/1000");
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), data.subarray(995));

    const beyond = await fetch(url(`/v2/${name}/blobs/${digest}`), { headers: { Range: "bytes=1000-1010" } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get("content-range"), "bytes */1000");
    await beyond.arrayBuffer();

    // Blobs are scoped to repositories: another repository does not see it.
    const elsewhere = await fetch(url(`/v2/${repo()}/blobs/${digest}`), { method: "HEAD" });
    assert.equal(elsewhere.status, 404);
  });

  it("deletes a blob from a repository", async () => {
    const name = repo();
    const digest = await putBlob(name, randomBytes(64));
    const del = await fetch(url(`/v2/${name}/blobs/${digest}`), { method: "DELETE" });
    assert.equal(del.status, 202);
    await del.arrayBuffer();
    const gone = await fetch(url(`/v2/${name}/blobs/${digest}`));
    assert.equal(gone.status, 404);
    assert.equal(await errorCode(gone), "BLOB_UNKNOWN");
    const again = await fetch(url(`/v2/${name}/blobs/${digest}`), { method: "DELETE" });
    assert.equal(again.status, 404);
    await again.arrayBuffer();
  });

  it("takes a monolithic upload as POST then PUT, and refuses a wrong digest without storing anything", async () => {
    const name = repo();
    const data = randomBytes(300);
    const start = await fetch(url(`/v2/${name}/blobs/uploads/`), { method: "POST" });
    assert.equal(start.status, 202);
    const location = start.headers.get("location")!;
    assert.match(location, new RegExp(`^/v2/${name}/blobs/uploads/[0-9a-f-]{36}$`));
    assert.equal(start.headers.get("docker-upload-uuid"), location.split("/").pop());
    assert.equal(start.headers.get("range"), "0-0");

    const bad = sha(Buffer.from("something else"));
    const wrong = await fetch(url(`${location}?digest=${bad}`), { method: "PUT", body: bytes(data), headers: { "Content-Type": "application/octet-stream" } });
    assert.equal(wrong.status, 400);
    assert.equal(await errorCode(wrong), "DIGEST_INVALID");
    for (const d of [bad, sha(data)]) assert.equal((await fetch(url(`/v2/${name}/blobs/${d}`), { method: "HEAD" })).status, 404);
    // A failed upload is over.
    assert.equal((await fetch(url(location))).status, 404);

    const start2 = await fetch(url(`/v2/${name}/blobs/uploads/`), { method: "POST" });
    const put = await fetch(url(`${start2.headers.get("location")}?digest=${sha(data)}`), { method: "PUT", body: bytes(data), headers: { "Content-Type": "application/octet-stream" } });
    assert.equal(put.status, 201);
    assert.equal(put.headers.get("location"), `/v2/${name}/blobs/${sha(data)}`);
    assert.equal(put.headers.get("docker-content-digest"), sha(data));
    assert.deepEqual(Buffer.from(await (await fetch(url(`/v2/${name}/blobs/${sha(data)}`))).arrayBuffer()), data);
  });

  it("takes chunked PATCH uploads with Content-Range, reports progress and resumes", async () => {
    const name = repo();
    const data = randomBytes(3 * 1024 + 17);
    const chunks = [data.subarray(0, 1024), data.subarray(1024, 2048), data.subarray(2048)];
    const start = await fetch(url(`/v2/${name}/blobs/uploads/`), { method: "POST" });
    let location = start.headers.get("location")!;
    const uuid = start.headers.get("docker-upload-uuid")!;

    let offset = 0;
    for (const chunk of chunks.slice(0, 2)) {
      const res = await fetch(url(location), {
        method: "PATCH", body: bytes(chunk),
        headers: { "Content-Type": "application/octet-stream", "Content-Range": `${offset}-${offset + chunk.length - 1}`, "Content-Length": String(chunk.length) },
      });
      assert.equal(res.status, 202);
      offset += chunk.length;
      assert.equal(res.headers.get("range"), `0-${offset - 1}`);
      assert.equal(res.headers.get("docker-upload-uuid"), uuid);
      location = res.headers.get("location")!;
    }

    // The client lost track: ask where the upload stands.
    const status = await fetch(url(location));
    assert.equal(status.status, 204);
    assert.equal(status.headers.get("range"), "0-2047");
    assert.equal(status.headers.get("location"), location);

    // A chunk that does not continue at the current offset is refused, and changes nothing.
    const gap = await fetch(url(location), { method: "PATCH", body: bytes(chunks[2]), headers: { "Content-Range": `3000-${3000 + chunks[2].length - 1}` } });
    assert.equal(gap.status, 416);
    await gap.arrayBuffer();
    assert.equal((await fetch(url(location))).headers.get("range"), "0-2047");

    // Nothing is visible before the closing PUT.
    assert.equal((await fetch(url(`/v2/${name}/blobs/${sha(data)}`), { method: "HEAD" })).status, 404);

    // Resume where it stands; the last chunk travels with the closing PUT.
    const fin = await fetch(url(`${location}?digest=${sha(data)}`), { method: "PUT", body: bytes(chunks[2]), headers: { "Content-Type": "application/octet-stream" } });
    assert.equal(fin.status, 201);
    assert.deepEqual(Buffer.from(await (await fetch(url(`/v2/${name}/blobs/${sha(data)}`))).arrayBuffer()), data);
    assert.equal((await fetch(url(location))).status, 404, "a finished upload is gone");
  });

  it("cancels an upload with DELETE", async () => {
    const name = repo();
    const start = await fetch(url(`/v2/${name}/blobs/uploads/`), { method: "POST" });
    const location = start.headers.get("location")!;
    const del = await fetch(url(location), { method: "DELETE" });
    assert.equal(del.status, 204);
    const status = await fetch(url(location));
    assert.equal(status.status, 404);
    assert.equal(await errorCode(status), "BLOB_UPLOAD_UNKNOWN");
  });

  it("mounts a blob from another repository, or opens an upload when it cannot", async () => {
    const from = repo();
    const to = repo();
    const digest = await putBlob(from, randomBytes(128));
    const mount = await fetch(url(`/v2/${to}/blobs/uploads/?mount=${digest}&from=${from}`), { method: "POST" });
    assert.equal(mount.status, 201);
    assert.equal(mount.headers.get("location"), `/v2/${to}/blobs/${digest}`);
    assert.equal(mount.headers.get("docker-content-digest"), digest);
    assert.equal((await fetch(url(`/v2/${to}/blobs/${digest}`), { method: "HEAD" })).status, 200);

    // The source repository does not hold it: a normal upload session instead (202).
    const missing = sha(Buffer.from(uniqueName("nope")));
    const fallback = await fetch(url(`/v2/${repo()}/blobs/uploads/?mount=${missing}&from=${from}`), { method: "POST" });
    assert.equal(fallback.status, 202);
    assert.match(fallback.headers.get("location")!, /\/blobs\/uploads\/[0-9a-f-]{36}$/);
  });

  it("answers unknown names and methods with distribution errors", async () => {
    const upper = await fetch(url("/v2/Bad_Name/blobs/uploads/"), { method: "POST" });
    assert.equal(upper.status, 400);
    assert.equal(await errorCode(upper), "NAME_INVALID");
    const put = await fetch(url(`/v2/${repo()}/blobs/${sha(Buffer.from("x"))}`), { method: "PUT", body: "x" });
    assert.equal(put.status, 405);
    assert.equal(await errorCode(put), "UNSUPPORTED");
    const v2 = await fetch(url("/v2/"));
    assert.equal(v2.status, 200);
    assert.equal(v2.headers.get("docker-distribution-api-version"), "registry/2.0");
  });
});
