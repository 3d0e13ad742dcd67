import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { checkedApi } from "../../helpers/api-schema.js";

/** Image endpoints at their edges: invalid tags, garbage loads, multi-tag save/load, import --platform. */
describe("image API fidelity", () => {
  let d: TestDaemon;
  const docker = (...args: string[]) => run("docker", args, { env: d.env });
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  test("tagging with an invalid reference is a 400, even for a missing image", async () => {
    for (const [src, repo, message] of [
      ["busybox", "sha256", /refusing to create an ambiguous tag using digest algorithm as name/],
      ["busybox", "Foo", /must be lowercase/],
      ["busybox", "fo$z$", /invalid reference format/],
      ["nosuchimage", "sha256", /refusing to create an ambiguous tag/],
    ] as const) {
      const r = await checkedApi(d.socket, "POST", `/images/${src}/tag?repo=${encodeURIComponent(repo)}&tag=sometag`);
      assert.equal(r.status, 400, `${repo}: ${r.body}`);
      assert.match(r.json().message, message);
    }
    const bad = await checkedApi(d.socket, "POST", `/images/busybox/tag?repo=ok&tag=${encodeURIComponent("fo$z$")}`);
    assert.equal(bad.status, 400, bad.body);
  });

  test("loading garbage answers 200 with the error in the stream; the docker CLI fails with it", async () => {
    const r = await api(d.socket, "POST", "/images/load", Buffer.from("this is not a tar archive, not even close".repeat(50)), { "Content-Type": "application/x-tar" });
    assert.equal(r.status, 200, r.body);
    const last = JSON.parse(r.body.trim().split("\n").pop()!);
    // dockerd's words for an archive it cannot read; node-tar's own codes never reach the user.
    assert.match(last.error, /^Error processing tar file: (archive\/tar: invalid tar header|unexpected EOF)/);
    assert.doesNotMatch(r.body, /TAR_[A-Z]/);
    const file = `${d.base}/${uniqueName("garbage")}.tar`;
    await fs.writeFile(file, "garbage");
    const cli = await docker("load", "-i", file);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /Error processing tar file/);
  });

  test("save of several tags of one image, then load, restores each tag once", async () => {
    const tags = [uniqueName("multi") + ":a", uniqueName("multi") + ":b"];
    for (const t of tags) assert.equal((await docker("tag", "busybox", t)).code, 0);
    const file = `${d.base}/${uniqueName("save")}.tar`;
    const save = await docker("save", "-o", file, ...tags, "busybox");
    assert.equal(save.code, 0, save.stderr);
    for (const t of tags) assert.equal((await docker("rmi", t)).code, 0);
    const load = await docker("load", "-i", file);
    assert.equal(load.code, 0, load.stderr);
    const lines = load.stdout.trim().split("\n").filter((l) => l.startsWith("Loaded image"));
    assert.deepEqual(lines.sort(), ["Loaded image: busybox:latest", ...tags.map((t) => `Loaded image: ${t}`)].sort());
    for (const t of tags) assert.equal((await checkedApi(d.socket, "GET", `/images/${t}/json`)).status, 200);
  });

  test("import --platform records OS and architecture; invalid platforms are refused as dockerd does", async () => {
    const empty = Buffer.alloc(1024); // an empty tar: two zero blocks
    const imp = (platform: string, ref: string) =>
      api(d.socket, "POST", `/images/create?fromSrc=-&repo=${ref}&platform=${encodeURIComponent(platform)}`, empty, { "Content-Type": "application/x-tar" });
    for (const [platform, os, arch] of [["", "linux", "amd64"], ["linux/sparc64", "linux", "sparc64"], ["LINUX", "linux", "amd64"], ["linux/arm64", "linux", "arm64"]]) {
      const ref = uniqueName("plat");
      const r = await imp(platform, ref);
      assert.equal(r.status, 200, `${platform}: ${r.body}`);
      assert.doesNotMatch(r.body, /errorDetail/, platform);
      const j = (await checkedApi(d.socket, "GET", `/images/${ref}/json`)).json();
      assert.equal(j.Os, os, platform);
      assert.equal(j.Architecture, process.arch === "x64" || platform.includes("/") ? arch : j.Architecture, platform);
    }
    for (const [platform, message] of [["       ", /is an invalid component/], ["/", /is an invalid component/], ["macos", /operating system is not supported/], ["nintendo64", /unknown operating system or architecture/]] as const) {
      const r = await imp(platform, uniqueName("plat"));
      assert.match(r.body, message, platform);
    }
  });
});
