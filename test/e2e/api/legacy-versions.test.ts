import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";

// dockerd's router answers old clients in the old shapes (moby's integration suite checks them).
describe("answers by API version: clients older than 1.25 and 1.20", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());
  const docker = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });

  test("/info below 1.25 has ExecutionDriver \"<not supported>\" and security options by name", async () => {
    const old = (await api(d.socket, "GET", "/v1.20/info")).json();
    assert.equal(old.ExecutionDriver, "<not supported>");
    assert.ok(old.SecurityOptions.includes("seccomp"), JSON.stringify(old.SecurityOptions));
    const now = (await api(d.socket, "GET", "/v1.42/info")).json();
    assert.equal(now.ExecutionDriver, undefined);
    assert.ok(now.SecurityOptions.some((o: string) => o.startsWith("name=seccomp")));
  });

  test("inspect below 1.20 carries Cpuset, Memory, CpuShares in Config and Volumes/VolumesRW maps", async () => {
    const name = uniqueName("pre120");
    const r = await docker(["create", "--name", name, "--cpuset-cpus", "0", "--cpu-shares", "512", "-v", "/data", "busybox", "true"]);
    assert.equal(r.code, 0, r.stderr);
    try {
      const old = (await api(d.socket, "GET", `/v1.19/containers/${name}/json`)).json();
      assert.equal(old.Config.Cpuset, "0");
      assert.equal(old.Config.CpuShares, 512);
      assert.equal(old.Config.Memory, 0);
      assert.deepEqual(Object.keys(old.Volumes), ["/data"]);
      assert.equal(old.VolumesRW["/data"], true);
      const now = (await api(d.socket, "GET", `/v1.42/containers/${name}/json`)).json();
      assert.equal(now.Config.Cpuset, undefined);
      assert.equal(now.Volumes, undefined);
    } finally {
      await docker(["rm", "-f", name]);
    }
  });

  test("killing a container that is not running: 204 below 1.20, 409 from 1.20", async () => {
    const name = uniqueName("kill120");
    assert.equal((await docker(["create", "--name", name, "busybox", "true"])).code, 0);
    try {
      assert.equal((await api(d.socket, "POST", `/v1.19/containers/${name}/kill`)).status, 204);
      const now = await api(d.socket, "POST", `/v1.20/containers/${name}/kill`);
      assert.equal(now.status, 409);
      assert.match(now.json().message, /is not running/);
    } finally {
      await docker(["rm", "-f", name]);
    }
  });

  test("HostConfig.Runtime echoes the runtime asked for; the default is info's DefaultRuntime", async () => {
    const info = (await api(d.socket, "GET", "/info")).json();
    const other = Object.keys(info.Runtimes).find((r) => r !== info.DefaultRuntime);
    const plain = uniqueName("rtdef");
    const asked = uniqueName("rtask");
    assert.equal((await docker(["create", "--name", plain, "busybox", "true"])).code, 0);
    try {
      assert.equal((await docker(["inspect", "-f", "{{.HostConfig.Runtime}}", plain])).stdout, `${info.DefaultRuntime}\n`);
      if (other) {
        const r = await docker(["run", "--name", asked, "--runtime", other, "busybox", "true"]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await docker(["inspect", "-f", "{{.HostConfig.Runtime}}", asked])).stdout, `${other}\n`);
      }
    } finally {
      await docker(["rm", "-f", plain, asked]);
    }
  });
});
