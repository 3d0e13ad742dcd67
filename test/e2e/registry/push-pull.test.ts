import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { startDistributionRegistry, startWharfRegistry, type TestRegistry } from "./registries.js";

/**
 * The real docker CLI pushes to and pulls from a registry through a wharf
 * daemon: wharf's own `wharf registry serve` and Debian's docker-registry
 * (the CNCF distribution reference), plus skopeo against wharf's registry.
 */
describe("docker push/pull through wharf", () => {
  let d: TestDaemon;
  let wharfReg: TestRegistry;
  let distReg: TestRegistry;
  const docker = async (...args: string[]) => {
    const r = await run("docker", args, { env: d.env, timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`docker ${args.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  before(async () => {
    [d, wharfReg, distReg] = await Promise.all([startTestDaemon(), startWharfRegistry(), startDistributionRegistry()]);
  });
  after(async () => {
    await Promise.all([d?.stop(), wharfReg?.stop(), distReg?.stop()]);
  });

  async function roundTrip(host: string): Promise<{ ref: string; digest: string }> {
    const repo = `${host}/team/${uniqueName("bb")}`;
    const ref = `${repo}:1`;
    await docker("tag", "busybox", ref);
    const pushed = await docker("push", ref);
    assert.match(pushed, new RegExp(`The push refers to repository \\[${repo.replace(/\./g, "\\.")}\\]`));
    assert.match(pushed, /: Pushed/);
    const digest = /1: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(pushed)?.[1];
    assert.ok(digest, pushed);
    // A second push finds everything there already.
    assert.match(await docker("push", ref), /Layer already exists/);

    await docker("rmi", ref);
    const pulled = await docker("pull", ref);
    assert.match(pulled, /1: Pulling from team\//);
    assert.match(pulled, /Pull complete|Already exists/);
    assert.match(pulled, new RegExp(`Digest: ${digest}`));
    assert.match(pulled, new RegExp(`Status: (Downloaded newer image|Image is up to date) for ${ref.replace(/\./g, "\\.")}`));
    const name = uniqueName("c");
    assert.equal((await docker("run", "--rm", "--network", "none", "--name", name, ref, "echo", "hello from the registry")).trim(), "hello from the registry");

    // Pull by digest into an image store that no longer has it at all.
    await docker("rmi", ref);
    const byDigest = await docker("pull", `${repo}@${digest}`);
    assert.match(byDigest, new RegExp(`Digest: ${digest}`));
    const listed = await docker("images", "--digests", "--format", "{{.Repository}} {{.Digest}}", repo);
    assert.match(listed, new RegExp(`${repo.replace(/\./g, "\\.")} ${digest}`));
    return { ref, digest };
  }

  it("pushes, pulls (by tag and by digest) and runs with wharf's registry", async () => {
    await roundTrip(wharfReg.host);
  });

  it("pushes, pulls and runs with Debian's docker-registry", async () => {
    await roundTrip(distReg.host);
  });

  it("serves skopeo inspect and skopeo copy", async () => {
    const repo = `${wharfReg.host}/skopeo/${uniqueName("bb")}`;
    await docker("tag", "busybox", `${repo}:v1`);
    const digest = /v1: digest: (sha256:[0-9a-f]{64})/.exec(await docker("push", `${repo}:v1`))![1];
    const inspect = await run("skopeo", ["inspect", "--tls-verify=false", `docker://${repo}:v1`]);
    assert.equal(inspect.code, 0, inspect.stderr);
    const info = JSON.parse(inspect.stdout);
    assert.equal(info.Digest, digest);
    assert.equal(info.Layers.length, 1);
    assert.equal(info.Os, "linux");
    const tags = await run("skopeo", ["list-tags", "--tls-verify=false", `docker://${repo}`]);
    assert.deepEqual(JSON.parse(tags.stdout).Tags, ["v1"]);
    // Registry to registry within wharf's registry (cross-repository), then through docker-registry and back.
    const copy = `${wharfReg.host}/skopeo/${uniqueName("copy")}:v2`;
    const distCopy = `${distReg.host}/skopeo/${uniqueName("copy")}:v3`;
    for (const [src, dst] of [[`${repo}:v1`, copy], [copy, distCopy]]) {
      const r = await run("skopeo", ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", `docker://${src}`, `docker://${dst}`], { timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.stderr);
    }
    const again = JSON.parse((await run("skopeo", ["inspect", "--tls-verify=false", `docker://${copy}`])).stdout);
    assert.equal(again.Digest, digest);
    // skopeo with a chunked-free but OCI conversion: copy as OCI manifest and pull that through wharf.
    const oci = `${wharfReg.host}/skopeo/${uniqueName("oci")}:v4`;
    const r = await run("skopeo", ["copy", "--format", "oci", "--src-tls-verify=false", "--dest-tls-verify=false", `docker://${repo}:v1`, `docker://${oci}`], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    await docker("pull", oci);
    assert.equal((await docker("run", "--rm", "--network", "none", oci, "echo", "oci ok")).trim(), "oci ok");
  });
});
