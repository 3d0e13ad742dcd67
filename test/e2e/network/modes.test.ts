import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { docker, hostRun } from "./net-helpers.js";

// Issue 6: --network none/host/container:X, and /etc/resolv.conf and /etc/hosts handling.
describe("network modes and etc files", () => {
  let d: TestDaemon;
  let dk: ReturnType<typeof docker>;
  before(async () => {
    d = await startTestDaemon();
    dk = docker(d);
  });
  after(async () => d?.stop());

  it("--network none has only lo", async () => {
    const out = await dk("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net");
    assert.deepEqual(out.split(/\s+/), ["lo"]);
  });

  it("--network host sees the host's interfaces", async () => {
    const host = (await hostRun("ls", ["/sys/class/net"])).split(/\s+/).filter(Boolean);
    const out = (await dk("run", "--rm", "--network", "host", "busybox", "ls", "/sys/class/net")).split(/\s+/);
    assert.ok(host.includes("eth0") && out.includes("eth0") && out.includes(d.bridge), out.join(" "));
  });

  it("--network container:X shares X's IP", async () => {
    const x = uniqueName("x");
    await dk("run", "-d", "--name", x, "busybox", "sleep", "60");
    try {
      const ip = await dk("inspect", "-f", "{{.NetworkSettings.IPAddress}}", x);
      const out = await dk("run", "--rm", "--network", `container:${x}`, "busybox", "ip", "-4", "-o", "addr", "show", "eth0");
      assert.match(out, new RegExp(`inet ${ip.replace(/\./g, "\\.")}/`));
    } finally {
      await dk("rm", "-f", x);
    }
  });

  it("--dns and --dns-search produce the seed's resolv.conf; --add-host lands in /etc/hosts", async () => {
    const out = await dk("run", "--rm", "--dns=8.8.8.8", "--dns=8.8.4.4", "--dns-search=example1.com", "--dns-search=example2.com", "busybox", "cat", "/etc/resolv.conf");
    assert.equal(out, "search example1.com example2.com\nnameserver 8.8.8.8\nnameserver 8.8.4.4");
    const hosts = await dk("run", "--rm", "--add-host", "db:10.1.2.3", "--add-host", "gw:host-gateway", "--hostname", "box", "--domainname", "example.org", "busybox", "cat", "/etc/hosts");
    assert.match(hosts, /^10\.1\.2\.3\tdb$/m);
    assert.match(hosts, /^\d+\.\d+\.\d+\.1\tgw$/m);
    assert.match(hosts, /^\d+\.\d+\.\d+\.\d+\tbox\.example\.org box$/m);
  });

  it("--mac-address sets the interface's MAC", async () => {
    const out = await dk("run", "--rm", "--mac-address", "92:d0:c6:0a:29:33", "busybox", "cat", "/sys/class/net/eth0/address");
    assert.equal(out, "92:d0:c6:0a:29:33");
  });

  it("an unknown network is docker's 404", async () => {
    await assert.rejects(dk("run", "--rm", "--network", uniqueName("nope"), "busybox", "true"), /network .* not found/);
  });
});
