import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { api, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { docker } from "./net-helpers.js";

// Legacy links (env, /etc/hosts, rm --link, aliases on user networks), CheckDuplicate by API version,
// and the `bridge` key in EndpointsConfig.
describe("legacy links, CheckDuplicate, EndpointsConfig.bridge", () => {
  let d: TestDaemon;
  let dk: ReturnType<typeof docker>;
  const child = uniqueName("db");
  before(async () => {
    d = await startTestDaemon();
    dk = docker(d);
    await dk("run", "-d", "--name", child, "-e", "SECRET=abc", "--expose", "5432", "--expose", "53/udp", "busybox", "sleep", "300");
  });
  after(async () => {
    await dk("rm", "-f", child).catch(() => undefined);
    await d?.stop();
  });

  it("--link name:alias on the default bridge: env vars, /etc/hosts, inspect, docker rm --link", async () => {
    const ip = await dk("inspect", "-f", "{{.NetworkSettings.IPAddress}}", child);
    const hostname = await dk("inspect", "-f", "{{.Config.Hostname}}", child);
    const parent = uniqueName("app");
    const out = await dk("run", "--rm", "--name", parent, "--link", `${child}:db`, "busybox", "sh", "-c", "env | grep ^DB_ | sort; echo ---; cat /etc/hosts");
    const [env, hosts] = out.split("---\n");
    const vars = Object.fromEntries(env.trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    assert.equal(vars.DB_NAME, `/${parent}/db`);
    assert.equal(vars.DB_PORT, `tcp://${ip}:5432`);
    assert.equal(vars.DB_PORT_5432_TCP, `tcp://${ip}:5432`);
    assert.equal(vars.DB_PORT_5432_TCP_ADDR, ip);
    assert.equal(vars.DB_PORT_5432_TCP_PORT, "5432");
    assert.equal(vars.DB_PORT_5432_TCP_PROTO, "tcp");
    assert.equal(vars.DB_PORT_53_UDP, `udp://${ip}:53`);
    assert.equal(vars.DB_ENV_SECRET, "abc");
    assert.equal(vars.DB_ENV_PATH, undefined, "PATH and HOME are not passed on");
    assert.match(hosts, new RegExp(`^${ip.replace(/\./g, "\\.")}\\tdb ${hostname} ${child}$`, "m"));

    const p2 = uniqueName("app2");
    await dk("create", "--name", p2, "--link", child, "busybox", "true");
    try {
      assert.equal(await dk("inspect", "-f", "{{json .HostConfig.Links}}", p2), JSON.stringify([`/${child}:/${p2}/${child}`]));
      const listed = (await api(d.socket, "GET", `/containers/json?filters=${encodeURIComponent(JSON.stringify({ name: [child] }))}`)).json();
      assert.deepEqual(listed[0].Names, [`/${child}`, `/${p2}/${child}`], "a linked container is listed under its link names too");
      await dk("rm", "--link", `/${p2}/${child}`);
      assert.equal(await dk("inspect", "-f", "{{json .HostConfig.Links}}", p2), "null");
      const r = await run("docker", ["rm", "--link", child], { env: d.env });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /cannot remove the default link name/);
    } finally {
      await dk("rm", "-f", p2);
    }
    const missing = await run("docker", ["create", "--link", "nosuchbox:x", "busybox", "true"], { env: d.env });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /could not get container for nosuchbox/);
  });

  it("on a user-defined network a link's alias resolves for its parent only", async () => {
    const net = uniqueName("lnet");
    await dk("network", "create", net);
    try {
      await dk("network", "connect", net, child);
      const ip = await dk("inspect", "-f", `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`, child);
      assert.match(await dk("run", "--rm", "--network", net, "--link", `${child}:dbalias`, "busybox", "nslookup", "-type=a", "dbalias"), new RegExp(`Address: ${ip.replace(/\./g, "\\.")}`));
      const other = await run("docker", ["run", "--rm", "--network", net, "busybox", "nslookup", "-type=a", "dbalias"], { env: d.env });
      assert.doesNotMatch(other.stdout, new RegExp(`Address: ${ip.replace(/\./g, "\\.")}`));
    } finally {
      await dk("network", "disconnect", net, child).catch(() => undefined);
      await dk("network", "rm", net);
    }
  });

  it("CheckDuplicate: before API 1.44 a duplicate name is created with a warning unless asked; from 1.44 always 409", async () => {
    const name = uniqueName("dupnet");
    const ids: string[] = [];
    try {
      const first = await api(d.socket, "POST", "/v1.43/networks/create", { Name: name });
      assert.equal(first.status, 201, first.body);
      ids.push(first.json().Id);
      const checked = await api(d.socket, "POST", "/v1.43/networks/create", { Name: name, CheckDuplicate: true });
      assert.equal(checked.status, 409, checked.body);
      const modern = await api(d.socket, "POST", "/v1.44/networks/create", { Name: name, CheckDuplicate: false });
      assert.equal(modern.status, 409, modern.body);
      const dup = await api(d.socket, "POST", "/v1.43/networks/create", { Name: name });
      assert.equal(dup.status, 201, dup.body);
      ids.push(dup.json().Id);
      assert.equal(dup.json().Warning, `Network with name ${name} (id : ${ids[0]}) already exists`);
      const ambiguous = await api(d.socket, "GET", `/networks/${name}`);
      assert.equal(ambiguous.status, 400, ambiguous.body);
      assert.match(ambiguous.json().message, /ambiguous/);
    } finally {
      for (const id of ids) await api(d.socket, "DELETE", `/networks/${id}`);
    }
  });

  it("EndpointsConfig keyed bridge: MacAddress honoured with NetworkMode bridge or default", async () => {
    for (const mode of ["bridge", "default"]) {
      const c = await api(d.socket, "POST", "/containers/create", { Image: "busybox", Cmd: ["sleep", "30"], HostConfig: { NetworkMode: mode }, NetworkingConfig: { EndpointsConfig: { bridge: { MacAddress: "02:42:ac:11:00:99" } } } });
      assert.equal(c.status, 201, c.body);
      const id = c.json().Id;
      try {
        assert.equal((await api(d.socket, "POST", `/containers/${id}/start`)).status, 204);
        const j = (await api(d.socket, "GET", `/containers/${id}/json`)).json();
        assert.equal(j.HostConfig.NetworkMode, "bridge");
        assert.deepEqual(Object.keys(j.NetworkSettings.Networks), ["bridge"]);
        assert.equal(j.NetworkSettings.Networks.bridge.MacAddress, "02:42:ac:11:00:99");
      } finally {
        await api(d.socket, "DELETE", `/containers/${id}?force=1`);
      }
    }
  });
});
