import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { api, startTestDaemon, uniqueName, run, type TestDaemon } from "../../helpers/daemon.js";
import { docker, hostRun, httpdCmd } from "./net-helpers.js";

/** What this daemon made on the host: ports of its bridges, its routes, its nft table. */
async function hostState(bridges: string[], table: string) {
  const links = JSON.parse(await hostRun("ip", ["-j", "link", "show"])) as { ifname: string; master?: string }[];
  const routes = await hostRun("ip", ["-4", "route", "show"]);
  return {
    links: links.filter((l) => bridges.includes(l.ifname) || (l.master && bridges.includes(l.master))).map((l) => l.ifname).sort(),
    routes: routes.split("\n").filter((r) => bridges.some((b) => r.includes(` dev ${b} `))).sort(),
    nat: await hostRun("nft", ["list", "table", "ip", table]),
  };
}

function tableOf(d: TestDaemon): string {
  let h = 0;
  for (const ch of d.dataRoot) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `wharf_${h.toString(16)}`;
}

// Issue 6: user-defined networks with DNS, the default bridge, and cleanup, through the real docker CLI.
describe("user-defined networks", () => {
  let d: TestDaemon;
  let dk: ReturnType<typeof docker>;
  before(async () => {
    d = await startTestDaemon();
    dk = docker(d);
  });
  after(async () => d?.stop());

  it("containers reach each other by name and alias; everything is gone after rm", async () => {
    const before = await hostState([d.bridge], tableOf(d));
    const app = uniqueName("app");
    const web = uniqueName("web");
    const netId = await dk("network", "create", app);
    const bridge = `br-${netId.slice(0, 12)}`;
    try {
      assert.match(await dk("network", "ls", "--format", "{{.Name}} {{.Driver}}"), new RegExp(`${app} bridge`));
      await dk("run", "-d", "--name", web, "--network", app, "--network-alias", "www", "busybox", ...httpdCmd("by-name"));
      const byName = await dk("run", "--rm", "--network", app, "busybox", "sh", "-c", `for i in $(seq 50); do wget -qO- http://${web}/ && exit 0; sleep 0.2; done; exit 1`);
      assert.equal(byName, "by-name");
      assert.equal(await dk("run", "--rm", "--network", app, "busybox", "wget", "-qO-", "http://www/"), "by-name");
      const inspect = JSON.parse(await dk("network", "inspect", app))[0];
      const entries = Object.values(inspect.Containers) as { Name: string; IPv4Address: string; MacAddress: string }[];
      assert.equal(entries.length, 1);
      assert.equal(entries[0].Name, web);
      assert.match(entries[0].IPv4Address, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
      const eps = JSON.parse(await dk("inspect", "-f", "{{json .NetworkSettings.Networks}}", web));
      assert.deepEqual(eps[app].Aliases, ["www"]);
      assert.ok(eps[app].DNSNames.includes(web) && eps[app].DNSNames.includes("www"));
      // In use → 409 with Docker's wording.
      const rm = await api(d.socket, "DELETE", `/networks/${app}`);
      assert.equal(rm.status, 409);
      assert.match(rm.json().message, /has active endpoints/);
    } finally {
      await run("docker", ["rm", "-f", web], { env: d.env });
      await dk("network", "rm", app);
    }
    assert.equal((await hostRun("ip", ["link", "show", bridge])).trim(), "");
    assert.deepEqual(await hostState([d.bridge, bridge], tableOf(d)), before);
  });

  it("on the default bridge containers reach each other by IP", async () => {
    const web = uniqueName("bweb");
    await dk("run", "-d", "--name", web, "busybox", ...httpdCmd("by-ip"));
    try {
      const ip = await dk("inspect", "-f", "{{.NetworkSettings.IPAddress}}", web);
      assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
      const out = await dk("run", "--rm", "busybox", "sh", "-c", `for i in $(seq 50); do wget -qO- http://${ip}/ && exit 0; sleep 0.2; done; exit 1`);
      assert.equal(out, "by-ip");
    } finally {
      await dk("rm", "-f", web);
    }
  });

  it("connect and disconnect a running container, with an alias and a fixed --ip", async () => {
    const net = uniqueName("cn");
    await dk("network", "create", "--subnet", "10.213.7.0/24", net).catch(async () => dk("network", "create", net));
    const c = uniqueName("c");
    await dk("run", "-d", "--name", c, "busybox", "sleep", "60");
    try {
      const subnet = JSON.parse(await dk("network", "inspect", net))[0].IPAM.Config[0].Subnet as string;
      const ip = subnet.replace(/\.0\/\d+$/, ".77");
      await dk("network", "connect", "--alias", "cc", "--ip", ip, net, c);
      assert.match(await dk("exec", c, "ip", "-4", "addr"), new RegExp(`inet ${ip.replace(/\./g, "\\.")}/`));
      assert.equal(await dk("run", "--rm", "--network", net, "busybox", "sh", "-c", "nslookup cc | grep -c Address || true").then((s) => Number(s) >= 1), true);
      await dk("network", "disconnect", net, c);
      assert.doesNotMatch(await dk("exec", c, "ip", "-4", "addr"), /eth1/);
    } finally {
      await dk("rm", "-f", c);
      await dk("network", "rm", net);
    }
  });

  it("prune removes unused networks", async () => {
    const n = uniqueName("pr");
    await dk("network", "create", n);
    await dk("network", "prune", "-f");
    const r = await run("docker", ["network", "inspect", n], { env: d.env });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not found/);
  });
});
