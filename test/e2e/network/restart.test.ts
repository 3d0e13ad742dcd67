import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { docker, freePort, hostRun, httpGet, httpdCmd } from "./net-helpers.js";

// Issue 6: a daemon killed with SIGKILL comes back with the container's published port, DNS and no stale veths.
describe("networking across a daemon crash", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  it("re-arms the proxy after SIGKILL and cleans up after the container exits", async () => {
    const dk = docker(d);
    const port = await freePort();
    const name = uniqueName("rs");
    await dk("run", "-d", "--name", name, "-p", `127.0.0.1:${port}:80`, "busybox", ...httpdCmd("survives"));
    await waitFor("httpd", () => httpGet("127.0.0.1", port).then((b) => b.includes("survives")));
    await d.kill9();
    await d.start();
    assert.match(await waitFor("proxy re-armed", () => httpGet("127.0.0.1", port).then((b) => b.includes("survives") && b)), /survives/);
    const veths = async () => (JSON.parse(await hostRun("ip", ["-j", "link", "show"])) as { ifname: string; master?: string }[]).filter((l) => l.master === d.bridge).length;
    await waitFor("one veth on the bridge after the restart", async () => (await veths()) === 1);
    await dk("rm", "-f", name);
    assert.equal(await veths(), 0);
    await assert.rejects(httpGet("127.0.0.1", port));
  });
});
