import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { docker, httpGet } from "./net-helpers.js";

// Dual-stack user networks: EnableIPv6, IPv6 pools (given or a unique local /64), --ip6, AAAA/PTR,
// and ports published on [::]. Traffic stays between containers, the host's bridges and loopback.
describe("IPv6 networks", () => {
  let d: TestDaemon;
  let dk: ReturnType<typeof docker>;
  const net = uniqueName("v6net");
  const subnet = `fd${randomBytes(1).toString("hex")}:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}:1::/64`;
  const prefix = subnet.replace(/::\/64$/, "");
  const web = uniqueName("v6web");
  before(async () => {
    d = await startTestDaemon();
    dk = docker(d);
    await dk("network", "create", "--ipv6", "--subnet", subnet, net);
    await dk("run", "-d", "--name", web, "--network", net, "-p", "80", "busybox", "sh", "-c", "mkdir /w && echo v6-ok > /w/i && exec httpd -f -p 80 -h /w");
  });
  after(async () => {
    await dk("rm", "-f", web).catch(() => undefined);
    await dk("network", "rm", net).catch(() => undefined);
    await d?.stop();
  });

  it("network inspect is dual-stack; the container gets the first address, the gateway and an IPv6 default route", async () => {
    const n = JSON.parse(await dk("network", "inspect", net))[0];
    assert.equal(n.EnableIPv6, true);
    assert.deepEqual(n.IPAM.Config.map((c: { Subnet: string }) => c.Subnet.includes(":")), [false, true]);
    assert.deepEqual(n.IPAM.Config[1], { Subnet: subnet, Gateway: `${prefix}::1` });
    const ep = JSON.parse(await dk("inspect", "-f", `{{json (index .NetworkSettings.Networks "${net}")}}`, web));
    assert.equal(ep.GlobalIPv6Address, `${prefix}::2`);
    assert.equal(ep.GlobalIPv6PrefixLen, 64);
    assert.equal(ep.IPv6Gateway, `${prefix}::1`);
    assert.equal(Object.values(n.Containers as Record<string, { IPv6Address: string }>)[0].IPv6Address, `${prefix}::2/64`);
    const routes = await dk("exec", web, "ip", "-6", "route");
    assert.match(routes, new RegExp(`^default via ${prefix}::1 dev eth0`, "m"));
  });

  it("--ip6, container to container over IPv6 by name (AAAA), PTR, and the host's bridge reaches the container", async () => {
    const out = await dk("run", "--rm", "--network", net, "--ip6", `${prefix}::99`, "busybox", "sh", "-c",
      `ip -6 -o addr show dev eth0 scope global; wget -qO- "http://[${prefix}::2]/i"; nslookup -type=aaaa ${web}; nslookup ${prefix}::2`);
    assert.match(out, new RegExp(`inet6 ${prefix}::99/64`));
    assert.match(out, /^v6-ok$/m);
    assert.match(out, new RegExp(`^Address: ${prefix}::2$`, "m"));
    assert.match(out, new RegExp(`name = ${web}\\.${net}$`, "m"));
    assert.match(await httpGet(`${prefix}::2`, 80, "/i"), /v6-ok/);
    const bad = await run("docker", ["run", "--rm", "--ip6", `${prefix}::98`, "busybox", "true"], { env: d.env });
    assert.notEqual(bad.code, 0, "--ip6 on the default bridge is refused");
  });

  it("a port published on [::] answers on ::1", async () => {
    const ports = await dk("port", web, "80/tcp");
    const v6 = /\[::\]:(\d+)/.exec(ports);
    assert.ok(v6, ports);
    assert.match(await httpGet("::1", Number(v6[1]), "/i"), /v6-ok/);
  });

  it("--ipv6 without a subnet takes a unique local /64; IPv6 pools are ignored without --ipv6", async () => {
    const auto = uniqueName("v6auto");
    const plain = uniqueName("v4only");
    await dk("network", "create", "--ipv6", auto);
    try {
      const cfg = JSON.parse(await dk("network", "inspect", "-f", "{{json .IPAM.Config}}", auto));
      assert.match(cfg[1].Subnet, /^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}(:[0-9a-f]{1,4})?::\/64$/);
      const r = await run("docker", ["network", "create", "--subnet", `fd${randomBytes(1).toString("hex")}:9::/64`, plain], { env: d.env });
      if (r.code === 0) {
        assert.equal(await dk("network", "inspect", "-f", "{{.EnableIPv6}}", plain), "false");
        await dk("network", "rm", plain);
      }
    } finally {
      await dk("network", "rm", auto);
    }
  });
});
