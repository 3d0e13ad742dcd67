import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { startDistributionRegistry, startWharfRegistry, uploadRawImage, writeHtpasswd, type TestRegistry } from "./registries.js";

describe("registry login and failure modes", () => {
  let d: TestDaemon;
  let dir: string;
  let basicReg: TestRegistry;
  let tokenReg: TestRegistry;
  let distReg: TestRegistry;
  let plainReg: TestRegistry;
  const docker = (args: string[], input?: string) => run("docker", args, { env: d.env, input, timeoutMs: 120_000 });
  const ok = async (args: string[], input?: string) => {
    const r = await docker(args, input);
    assert.equal(r.code, 0, `docker ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  const configJson = async () => JSON.parse(await fs.readFile(path.join(d.env.DOCKER_CONFIG, "config.json"), "utf8").catch(() => "{}"));

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-login-"));
    const htpasswd = await writeHtpasswd(dir, "alice", "s3cret");
    [d, basicReg, tokenReg, distReg, plainReg] = await Promise.all([
      startTestDaemon(),
      startWharfRegistry({ htpasswd }),
      startWharfRegistry({ htpasswd, args: ["--token-auth"] }),
      startDistributionRegistry({ htpasswd }),
      startWharfRegistry(),
    ]);
  });
  after(async () => {
    await Promise.all([d?.stop(), basicReg?.stop(), tokenReg?.stop(), distReg?.stop(), plainReg?.stop()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (const [label, pick] of [["basic auth (wharf)", () => basicReg], ["token auth (wharf)", () => tokenReg], ["basic auth (docker-registry)", () => distReg]] as const) {
    it(`logs in, pushes and logs out with ${label}`, async () => {
      const host = pick().host;
      const ref = `${host}/private/${uniqueName("bb")}:1`;
      await ok(["tag", "busybox", ref]);
      // Without credentials (stdin closed) the CLI fails with the registry's reason: no login prompt.
      const anonymous = await docker(["push", ref]);
      assert.notEqual(anonymous.code, 0, "push without credentials must fail");
      assert.doesNotMatch(anonymous.stdout, /Login prior to/);
      assert.match(anonymous.stderr + anonymous.stdout, /no basic auth credentials|unauthorized|authentication required/i);

      const wrong = await docker(["login", "-u", "alice", "--password-stdin", host], "nope\n");
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.stderr, /Error response from daemon: login attempt to http:\/\/127\.0\.0\.1:\d+\/v2\/ failed with status: 401 Unauthorized/);
      assert.equal((await configJson()).auths?.[host], undefined);

      assert.match(await ok(["login", "-u", "alice", "--password-stdin", host], "s3cret\n"), /Login Succeeded/);
      const auth = (await configJson()).auths?.[host]?.auth;
      assert.equal(Buffer.from(auth, "base64").toString(), "alice:s3cret");

      assert.match(await ok(["push", ref]), /Pushed/);
      await ok(["rmi", ref]);
      assert.match(await ok(["pull", ref]), /Pull complete|Already exists/);

      assert.match(await ok(["logout", host]), new RegExp(`Removing login credentials for ${host}`));
      assert.equal((await configJson()).auths?.[host], undefined);
      await ok(["rmi", ref]);
      if (label.startsWith("basic")) { // the token server grants anonymous pulls
        const anonymousPull = await docker(["pull", ref]);
        assert.notEqual(anonymousPull.code, 0, "pull without credentials must fail");
        assert.doesNotMatch(anonymousPull.stdout, /Login prior to/);
        assert.match(anonymousPull.stderr, /Error response from daemon: .*(no basic auth credentials|unauthorized|authentication required)/i);
      }
    });
  }

  it("refuses a corrupted blob and stores nothing", async () => {
    const repo = `bad/${uniqueName("raw")}`;
    const { layer } = await uploadRawImage(plainReg.host, repo, "1", `payload ${uniqueName("p")}\n`);
    // The control: the intact image pulls and runs.
    const good = `${plainReg.host}/${repo}:1`;
    assert.match(await ok(["pull", good]), /Pull complete/);
    assert.deepEqual(JSON.parse(await ok(["image", "inspect", good]))[0].Config.Cmd, ["cat", "/payload.txt"]);
    await ok(["rmi", good]);

    const repo2 = `bad/${uniqueName("raw")}`;
    const { layer: layer2 } = await uploadRawImage(plainReg.host, repo2, "1", `other ${uniqueName("p")}\n`);
    assert.notEqual(layer2.digest, layer.digest);
    // Flip bytes inside the layer blob on the registry's disk: same size, wrong content.
    const blob = path.join(plainReg.root, "blobs", "sha256", layer2.digest.slice(7));
    const fh = await fs.open(blob, "r+");
    await fh.write(Buffer.alloc(8, 0x41), 0, 8, Math.floor(layer2.size / 2));
    await fh.close();
    const before = await ok(["images", "-a", "-q", "--no-trunc"]);
    const r = await docker(["pull", `${plainReg.host}/${repo2}:1`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /filesystem layer verification failed for digest sha256:[0-9a-f]{64}/);
    assert.equal(await ok(["images", "-a", "-q", "--no-trunc"]), before, "nothing new is listed");

    // Truncated: the blob loses its second half.
    await fs.truncate(blob, Math.floor(layer2.size / 2));
    const t = await docker(["pull", `${plainReg.host}/${repo2}:1`]);
    assert.notEqual(t.code, 0);
    // The short body is retried with a Range from where it stopped, which the truncated blob cannot satisfy.
    assert.match(t.stderr, /unexpected EOF|verification failed|416 Range Not Satisfiable/);
    assert.equal(await ok(["images", "-a", "-q", "--no-trunc"]), before);
  });

  it("reports an unknown tag and an unreachable registry clearly", async () => {
    const missing = await docker(["pull", `${plainReg.host}/nope/${uniqueName("x")}:9`]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /manifest for 127\.0\.0\.1:\d+\/nope\/x-[0-9a-f]+:9 not found: manifest unknown/);
    const down = await docker(["pull", "127.0.0.1:1/nothing/here:1"]);
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, /dial tcp 127\.0\.0\.1:1: connect: connection refused/);
  });
});
