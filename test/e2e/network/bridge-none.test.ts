import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { docker } from "./net-helpers.js";

// dockerd's `-b none`: no default bridge network; the default and `bridge` modes mean loopback only.
describe("wharf daemon --bridge none", () => {
  let d: TestDaemon;
  let dk: ReturnType<typeof docker>;
  before(async () => {
    d = await startTestDaemon(["--bridge", "none"]);
    dk = docker(d);
  });
  after(async () => d?.stop());

  it("has no bridge network and makes no bridge called none", async () => {
    assert.deepEqual((await dk("network", "ls", "--format", "{{.Name}}")).split("\n").sort(), ["host", "none"]);
    const { hostRun } = await import("./net-helpers.js");
    const links = await hostRun("ip", ["-o", "link", "show"]);
    assert.doesNotMatch(links, /^\d+: none[:@]/m);
  });

  it("containers default to loopback only, so does --network bridge; host and user networks still work", async () => {
    assert.equal(await dk("run", "--rm", "busybox", "ls", "/sys/class/net"), "lo");
    assert.equal(await dk("run", "--rm", "--network", "bridge", "busybox", "ls", "/sys/class/net"), "lo");
    const name = uniqueName("bn");
    await dk("run", "-d", "--name", name, "busybox", "sleep", "60");
    try {
      assert.equal(await dk("inspect", "-f", "{{.HostConfig.NetworkMode}}", name), "none");
    } finally {
      await dk("rm", "-f", name);
    }
    const net = uniqueName("bnnet");
    await dk("network", "create", net);
    try {
      assert.match(await dk("run", "--rm", "--network", net, "busybox", "ls", "/sys/class/net"), /eth0/);
    } finally {
      await dk("network", "rm", net);
    }
  });
});
