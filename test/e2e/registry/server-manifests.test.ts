import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { uniqueName } from "../../helpers/daemon.js";
import { startWharfRegistry, type TestRegistry } from "./registries.js";

const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

/** Manifests, tags, catalog and referrers of `wharf registry serve`, raw HTTP. */
describe("registry server: manifests, tags, catalog, referrers", () => {
  let reg: TestRegistry;
  const url = (p: string) => `http://${reg.host}${p}`;

  async function putBlob(name: string, data: Buffer): Promise<{ digest: string; size: number }> {
    const digest = sha(data);
    const res = await fetch(url(`/v2/${name}/blobs/uploads/?digest=${digest}`), { method: "POST", body: new Uint8Array(data) });
    assert.equal(res.status, 201, await res.text());
    return { digest, size: data.length };
  }

  /** A config and a layer in `name`, and a manifest over them (not yet pushed). */
  async function image(name: string, mediaType = OCI_MANIFEST, extra: Record<string, unknown> = {}): Promise<{ body: Buffer; digest: string; mediaType: string }> {
    const config = await putBlob(name, Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] }, n: uniqueName() })));
    const layer = await putBlob(name, randomBytes(200));
    const oci = mediaType === OCI_MANIFEST;
    const doc = {
      schemaVersion: 2, mediaType,
      config: { mediaType: oci ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json", ...config },
      layers: [{ mediaType: oci ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.docker.image.rootfs.diff.tar.gzip", ...layer }],
      ...extra,
    };
    const body = Buffer.from(JSON.stringify(doc));
    return { body, digest: sha(body), mediaType };
  }

  async function putManifest(name: string, ref: string, m: { body: Buffer; mediaType: string }): Promise<Response> {
    return fetch(url(`/v2/${name}/manifests/${ref}`), { method: "PUT", body: new Uint8Array(m.body), headers: { "Content-Type": m.mediaType } });
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

  it("stores a manifest by tag and serves it by tag and digest, with HEAD", async () => {
    const name = `m/${uniqueName("a")}`;
    const m = await image(name);
    const put = await putManifest(name, "v1", m);
    assert.equal(put.status, 201);
    assert.equal(put.headers.get("docker-content-digest"), m.digest);
    assert.equal(put.headers.get("location"), `/v2/${name}/manifests/${m.digest}`);

    for (const ref of ["v1", m.digest]) {
      const get = await fetch(url(`/v2/${name}/manifests/${ref}`), { headers: { Accept: `${OCI_MANIFEST}, ${DOCKER_MANIFEST}` } });
      assert.equal(get.status, 200);
      assert.equal(get.headers.get("content-type"), OCI_MANIFEST);
      assert.equal(get.headers.get("docker-content-digest"), m.digest);
      assert.deepEqual(Buffer.from(await get.arrayBuffer()), m.body, "byte-identical body");
      const head = await fetch(url(`/v2/${name}/manifests/${ref}`), { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get("content-length"), String(m.body.length));
      assert.equal(head.headers.get("docker-content-digest"), m.digest);
    }
    const unknown = await fetch(url(`/v2/${name}/manifests/nope`));
    assert.equal(unknown.status, 404);
    assert.equal(await errorCode(unknown), "MANIFEST_UNKNOWN");
  });

  it("answers a reference that is not a valid tag with 404 MANIFEST_UNKNOWN (GET and HEAD), as the OCI conformance suite expects", async () => {
    const name = `m/${uniqueName("inv")}`;
    const m = await image(name);
    assert.equal((await putManifest(name, "v1", m)).status, 201);
    for (const ref of [".INVALID_MANIFEST_NAME", "-dash", "sha256:short"]) {
      const get = await fetch(url(`/v2/${name}/manifests/${ref}`));
      assert.equal(get.status, 404, ref);
      assert.equal(await errorCode(get), "MANIFEST_UNKNOWN");
      const head = await fetch(url(`/v2/${name}/manifests/${ref}`), { method: "HEAD" });
      assert.equal(head.status, 404, ref);
    }
  });

  it("negotiates the content type: a Docker-only client gets no OCI manifest by tag", async () => {
    const name = `m/${uniqueName("neg")}`;
    const oci = await image(name);
    const docker = await image(name, DOCKER_MANIFEST);
    assert.equal((await putManifest(name, "oci", oci)).status, 201);
    assert.equal((await putManifest(name, "docker", docker)).status, 201);

    const refused = await fetch(url(`/v2/${name}/manifests/oci`), { headers: { Accept: DOCKER_MANIFEST } });
    assert.equal(refused.status, 404);
    assert.equal(await errorCode(refused), "MANIFEST_UNKNOWN");
    const byDigest = await fetch(url(`/v2/${name}/manifests/${oci.digest}`), { headers: { Accept: DOCKER_MANIFEST } });
    assert.equal(byDigest.status, 200);
    assert.equal(byDigest.headers.get("content-type"), OCI_MANIFEST);
    await byDigest.arrayBuffer();
    const anything = await fetch(url(`/v2/${name}/manifests/docker`), { headers: { Accept: "*/*" } });
    assert.equal(anything.headers.get("content-type"), DOCKER_MANIFEST);
    await anything.arrayBuffer();
  });

  it("refuses manifests that reference missing blobs, mismatched digests and bad JSON", async () => {
    const name = `m/${uniqueName("bad")}`;
    const m = await image(name);
    const doc = JSON.parse(m.body.toString());
    doc.layers[0].digest = sha(Buffer.from("missing"));
    const missing = await putManifest(name, "x", { body: Buffer.from(JSON.stringify(doc)), mediaType: OCI_MANIFEST });
    assert.equal(missing.status, 400);
    assert.equal(await errorCode(missing), "MANIFEST_BLOB_UNKNOWN");
    const mismatch = await putManifest(name, sha(Buffer.from("other")), m);
    assert.equal(mismatch.status, 400);
    assert.equal(await errorCode(mismatch), "DIGEST_INVALID");
    const junk = await putManifest(name, "x", { body: Buffer.from("{not json"), mediaType: OCI_MANIFEST });
    assert.equal(junk.status, 400);
    assert.equal(await errorCode(junk), "MANIFEST_INVALID");
    assert.equal((await fetch(url(`/v2/${name}/manifests/x`), { method: "HEAD" })).status, 404);
  });

  it("stores an index whose children are in the repository", async () => {
    const name = `m/${uniqueName("idx")}`;
    const child = await image(name);
    assert.equal((await putManifest(name, child.digest, child)).status, 201);
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest: child.digest, size: child.body.length, platform: { architecture: "amd64", os: "linux" } }],
    }));
    assert.equal((await putManifest(name, "multi", { body: index, mediaType: OCI_INDEX })).status, 201);
    const get = await fetch(url(`/v2/${name}/manifests/multi`), { headers: { Accept: OCI_INDEX } });
    assert.equal(get.headers.get("content-type"), OCI_INDEX);
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), index);
  });

  it("deletes a tag, and a manifest by digest together with its tags", async () => {
    const name = `m/${uniqueName("del")}`;
    const m = await image(name);
    for (const tag of ["a", "b"]) assert.equal((await putManifest(name, tag, m)).status, 201);
    const delTag = await fetch(url(`/v2/${name}/manifests/a`), { method: "DELETE" });
    assert.equal(delTag.status, 202);
    assert.equal((await fetch(url(`/v2/${name}/manifests/a`), { method: "HEAD" })).status, 404);
    assert.equal((await fetch(url(`/v2/${name}/manifests/b`), { method: "HEAD" })).status, 200);
    const delDigest = await fetch(url(`/v2/${name}/manifests/${m.digest}`), { method: "DELETE" });
    assert.equal(delDigest.status, 202);
    for (const ref of ["b", m.digest]) assert.equal((await fetch(url(`/v2/${name}/manifests/${ref}`), { method: "HEAD" })).status, 404);
    const tags = (await (await fetch(url(`/v2/${name}/tags/list`))).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, []);
  });

  it("pages the tags list and the catalog with n, last and Link", async () => {
    const prefix = uniqueName("pg");
    const name = `${prefix}/tags`;
    const m = await image(name);
    const tags = ["t1", "t2", "t3", "t4", "t5"];
    for (const t of tags) assert.equal((await putManifest(name, t, m)).status, 201);

    const seen: string[] = [];
    let next: string | undefined = `/v2/${name}/tags/list?n=2`;
    for (let pages = 0; next && pages < 10; pages++) {
      const res: Response = await fetch(url(next));
      assert.equal(res.status, 200);
      const body = (await res.json()) as { name: string; tags: string[] };
      assert.equal(body.name, name);
      assert.ok(body.tags.length <= 2);
      seen.push(...body.tags);
      const link = res.headers.get("link");
      next = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
    }
    assert.deepEqual(seen, tags);
    const after3 = (await (await fetch(url(`/v2/${name}/tags/list?last=t3`))).json()) as { tags: string[] };
    assert.deepEqual(after3.tags, ["t4", "t5"]);
    const bad = await fetch(url(`/v2/${name}/tags/list?n=-1`));
    assert.equal(bad.status, 400);
    assert.equal(await errorCode(bad), "PAGINATION_NUMBER_INVALID");
    const none = await fetch(url(`/v2/${prefix}/missing/tags/list`));
    assert.equal(none.status, 404);
    assert.equal(await errorCode(none), "NAME_UNKNOWN");

    for (const sub of ["b", "c"]) assert.equal((await putManifest(`${prefix}/${sub}`, "1", await image(`${prefix}/${sub}`))).status, 201);
    const first = await fetch(url(`/v2/_catalog?n=1&last=${prefix}/a`));
    assert.deepEqual(((await first.json()) as { repositories: string[] }).repositories, [`${prefix}/b`]);
    assert.equal(first.headers.get("link"), `</v2/_catalog?n=1&last=${encodeURIComponent(`${prefix}/b`)}>; rel="next"`);
    const all = (await (await fetch(url("/v2/_catalog"))).json()) as { repositories: string[] };
    assert.deepEqual(all.repositories.filter((r) => r.startsWith(`${prefix}/`)), [`${prefix}/b`, `${prefix}/c`, `${prefix}/tags`]);
  });

  it("lists referrers of a subject (OCI 1.1), filtered by artifactType", async () => {
    const name = `m/${uniqueName("ref")}`;
    const subject = await image(name);
    assert.equal((await putManifest(name, "v1", subject)).status, 201);
    const subjectDesc = { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.body.length };

    const empty = await fetch(url(`/v2/${name}/referrers/${subject.digest}`));
    assert.equal(empty.status, 200);
    assert.deepEqual(((await empty.json()) as { manifests: unknown[] }).manifests, []);

    const sig = await image(name, OCI_MANIFEST, { artifactType: "application/vnd.example.signature", subject: subjectDesc, annotations: { "org.example.by": "test" } });
    const sbom = await image(name, OCI_MANIFEST, { artifactType: "application/vnd.example.sbom", subject: subjectDesc });
    for (const a of [sig, sbom]) {
      const put = await putManifest(name, a.digest, a);
      assert.equal(put.status, 201);
      assert.equal(put.headers.get("oci-subject"), subject.digest);
    }
    const all = await fetch(url(`/v2/${name}/referrers/${subject.digest}`));
    assert.equal(all.headers.get("content-type"), OCI_INDEX);
    const index = (await all.json()) as { schemaVersion: number; mediaType: string; manifests: { digest: string; artifactType: string; size: number; annotations?: Record<string, string> }[] };
    assert.equal(index.schemaVersion, 2);
    assert.equal(index.mediaType, OCI_INDEX);
    assert.deepEqual(index.manifests.map((d) => d.digest).sort(), [sig.digest, sbom.digest].sort());
    const sigDesc = index.manifests.find((d) => d.digest === sig.digest)!;
    assert.equal(sigDesc.artifactType, "application/vnd.example.signature");
    assert.equal(sigDesc.size, sig.body.length);
    assert.deepEqual(sigDesc.annotations, { "org.example.by": "test" });

    const filtered = await fetch(url(`/v2/${name}/referrers/${subject.digest}?artifactType=${encodeURIComponent("application/vnd.example.sbom")}`));
    assert.equal(filtered.headers.get("oci-filters-applied"), "artifactType");
    assert.deepEqual(((await filtered.json()) as { manifests: { digest: string }[] }).manifests.map((d) => d.digest), [sbom.digest]);

    // A deleted referrer is no longer listed.
    assert.equal((await fetch(url(`/v2/${name}/manifests/${sbom.digest}`), { method: "DELETE" })).status, 202);
    const after = (await (await fetch(url(`/v2/${name}/referrers/${subject.digest}`))).json()) as { manifests: { digest: string }[] };
    assert.deepEqual(after.manifests.map((d) => d.digest), [sig.digest]);
  });
});
