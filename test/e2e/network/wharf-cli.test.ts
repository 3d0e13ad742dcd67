import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestDaemon, uniqueName, run, WHARF, type TestDaemon } from "../../helpers/daemon.js";

// Issue 6: wharf's own network and port commands agree with the docker CLI on the same daemon.
describe("wharf network and port commands", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  const both = async (args: string[]) => {
    const w = await run(process.execPath, [WHARF, ...args], { env: d.env });
    const k = await run("docker", args, { env: d.env });
    return { w, k };
  };

  it("create, ls, inspect, connect, disconnect, port, rm, prune", async () => {
    const net = uniqueName("wn");
    const c = uniqueName("wc");
    const created = await run(process.execPath, [WHARF, "network", "create", "--label", "a=b", net], { env: d.env });
    assert.equal(created.code, 0, created.stderr);
    try {
      const ls = await both(["network", "ls"]);
      assert.equal(ls.w.stdout, ls.k.stdout);
      const ins = await both(["network", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Labels}}", net]);
      assert.equal(ins.w.stdout, `${net} bridge map[a:b]\n`);
      assert.equal(ins.w.stdout, ins.k.stdout);
      assert.equal((await run(process.execPath, [WHARF, "run", "-d", "--name", c, "-p", "127.0.0.1::80", "busybox", "sleep", "60"], { env: d.env })).code, 0);
      const port = await both(["port", c]);
      assert.match(port.w.stdout, /^80\/tcp -> 127\.0\.0\.1:\d+\n$/);
      assert.equal(port.w.stdout, port.k.stdout);
      assert.equal((await run(process.execPath, [WHARF, "network", "connect", "--alias", "al", net, c], { env: d.env })).code, 0);
      const eps = await run("docker", ["inspect", "-f", `{{json (index .NetworkSettings.Networks "${net}").Aliases}}`, c], { env: d.env });
      assert.equal(eps.stdout.trim(), '["al"]');
      assert.equal((await run(process.execPath, [WHARF, "network", "disconnect", net, c], { env: d.env })).code, 0);
      const inUse = await run(process.execPath, [WHARF, "network", "rm", "bridge"], { env: d.env });
      assert.notEqual(inUse.code, 0);
    } finally {
      await run("docker", ["rm", "-f", c], { env: d.env });
    }
    const rm = await run(process.execPath, [WHARF, "network", "rm", net], { env: d.env });
    assert.equal(rm.stdout, `${net}\n`);
    const pr = await run(process.execPath, [WHARF, "network", "prune", "-f"], { env: d.env });
    assert.equal(pr.code, 0, pr.stderr);
  });
});
