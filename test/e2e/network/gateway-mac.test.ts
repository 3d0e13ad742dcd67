import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { docker } from "./net-helpers.js";

/**
 * Issue 17: containers on a user network lost their gateway (DNS, outbound
 * traffic) for 15–45 s when others came and went, because the bridge had no
 * fixed MAC and took the lowest port's. Containers started before c0 make
 * c0 cache another port's MAC (without the fix); removing them must not
 * cost c0 its gateway.
 */
describe("bridges keep a fixed MAC address", () => {
  let d: TestDaemon;
  let dk: ReturnType<typeof docker>;
  before(async () => {
    d = await startTestDaemon();
    dk = docker(d);
  });
  after(async () => d?.stop());

  it("c0 reaches the gateway and its DNS at once after other containers join and leave", async () => {
    const n = uniqueName("gw");
    const id = await dk("network", "create", n);
    const bridge = `br-${id.slice(0, 12)}`;
    const mac = async () => (await fs.readFile(`/sys/class/net/${bridge}/address`, "utf8")).trim();
    const fixed = await mac();
    assert.equal((await fs.readFile(`/sys/class/net/${bridge}/addr_assign_type`, "utf8")).trim(), "3", "the address is set, not taken from a port");
    const gw = JSON.parse(await dk("network", "inspect", n))[0].IPAM.Config[0].Gateway as string;
    const others = Array.from({ length: 5 }, () => uniqueName("o"));
    const c0 = uniqueName("c0");
    try {
      for (const o of others) await dk("run", "-d", "--name", o, "--network", n, "busybox", "sleep", "600");
      await dk("run", "-d", "--name", c0, "--network", n, "busybox", "sleep", "600");
      await dk("exec", c0, "ping", "-c", "1", "-W", "2", gw);
      await dk("rm", "-f", ...others);
      assert.equal(await mac(), fixed, "the bridge MAC did not follow its ports");
      // At once: one ping with a one-second deadline, then a name lookup on the embedded DNS.
      await dk("exec", c0, "ping", "-c", "1", "-W", "1", gw);
      const ns = await run("docker", ["exec", c0, "nslookup", c0, gw], { env: d.env, timeoutMs: 10_000 });
      assert.equal(ns.code, 0, ns.stdout + ns.stderr);
      assert.match(ns.stdout, /Address: \d+\.\d+\.\d+\.\d+/);
    } finally {
      await run("docker", ["rm", "-f", c0, ...others], { env: d.env });
      await dk("network", "rm", n);
    }
  });
});
