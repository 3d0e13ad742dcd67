import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { api, run, startTestDaemon, TestDaemon, WHARF, type TestDaemon as TD } from "../../helpers/daemon.js";

describe("system endpoints and the API edge", () => {
  let d: TD;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("_ping answers OK with docker's headers, GET and HEAD", async () => {
    for (const method of ["GET", "HEAD"]) {
      const r = await api(d.socket, method, "/_ping");
      assert.equal(r.status, 200);
      if (method === "GET") assert.equal(r.body, "OK");
      assert.equal(r.headers["api-version"], "1.50");
      assert.equal(r.headers["builder-version"], "1");
      assert.equal(r.headers["ostype"], "linux");
    }
  });

  test("every /v1.NN prefix up to 1.50 and unversioned paths work; lenient below 1.24; too new is 400", async () => {
    for (const p of ["/version", "/v1.50/version", "/v1.41/version", "/v1.24/version", "/v1.22/version"]) {
      const r = await api(d.socket, "GET", p);
      assert.equal(r.status, 200, p);
      assert.equal(r.json().ApiVersion, "1.50");
      assert.equal(r.json().MinAPIVersion, "1.24");
    }
    const tooNew = await api(d.socket, "GET", "/v1.99/version");
    assert.equal(tooNew.status, 400);
    assert.match(tooNew.json().message, /too new/);
  });

  test("/info has docker's shape", async () => {
    const info = (await api(d.socket, "GET", "/info")).json();
    assert.equal(info.Driver, "overlay2");
    assert.equal(info.CgroupDriver, "cgroupfs");
    assert.match(info.CgroupVersion, /^[12]$/);
    assert.equal(info.Swarm.LocalNodeState, "inactive");
    assert.equal(info.DockerRootDir, d.dataRoot);
    assert.ok(info.NCPU >= 1);
    assert.ok(info.MemTotal > 0);
    assert.ok(info.Runtimes[info.DefaultRuntime]);
    assert.equal(info.OSType, "linux");
    assert.ok(info.Images >= 1);
    assert.equal(typeof info.Containers, "number");
  });

  test("features not built yet answer as docker does with them off", async () => {
    const plugins = await api(d.socket, "GET", "/plugins");
    assert.equal(plugins.status, 200);
    assert.deepEqual(plugins.json(), []);
    for (const p of ["/swarm", "/nodes", "/services", "/tasks", "/secrets", "/configs"]) {
      const r = await api(d.socket, "GET", p);
      assert.equal(r.status, 503, p);
      assert.match(r.json().message, /not a swarm manager/);
    }
  });

  test("bad input gets clear errors and never crashes the daemon", async () => {
    const badJson = await api(d.socket, "POST", "/containers/create", "{not json");
    assert.equal(badJson.status, 400);
    assert.match(badJson.json().message, /invalid JSON/i);

    const noImage = await api(d.socket, "POST", "/containers/create", { Image: "nosuchimage-xyz", Cmd: ["true"] });
    assert.equal(noImage.status, 404);
    assert.match(noImage.json().message, /No such image: nosuchimage-xyz:latest/);

    const noContainer = await api(d.socket, "GET", "/containers/doesnotexist/json");
    assert.equal(noContainer.status, 404);
    assert.equal(noContainer.json().message, "No such container: doesnotexist");

    const name = `conflict-${d.id}`;
    const first = await api(d.socket, "POST", `/containers/create?name=${name}`, { Image: "busybox", Cmd: ["true"] });
    assert.equal(first.status, 201, first.body);
    const second = await api(d.socket, "POST", `/containers/create?name=${name}`, { Image: "busybox", Cmd: ["true"] });
    assert.equal(second.status, 409);
    assert.match(second.json().message, /is already in use by container/);
    assert.equal((await api(d.socket, "DELETE", `/containers/${name}`)).status, 204);

    const huge = Buffer.alloc(100 * 1024 * 1024, 0x20);
    const big = await api(d.socket, "POST", "/containers/create", huge).catch((err) => ({ status: -1, body: String(err), json: () => ({}) }) as any);
    assert.ok(big.status === 413 || big.status === -1, `100 MB body: ${big.status}`);
    if (big.status === 413) assert.match(big.json().message, /larger than/);

    const unknownRoute = await api(d.socket, "GET", "/no/such/route");
    assert.equal(unknownRoute.status, 404);
    assert.ok(unknownRoute.json().message);

    const ping = await api(d.socket, "GET", "/_ping");
    assert.equal(ping.status, 200, "daemon still alive");
  });

  test("filters are accepted in map and array form", async () => {
    const label = `k${d.id}=v`;
    const c = await api(d.socket, "POST", "/containers/create", { Image: "busybox", Cmd: ["true"], Labels: { [`k${d.id}`]: "v" } });
    assert.equal(c.status, 201);
    try {
      for (const f of [{ label: { [label]: true } }, { label: [label] }]) {
        const r = await api(d.socket, "GET", `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify(f))}`);
        assert.equal(r.status, 200, r.body);
        assert.deepEqual(r.json().map((x: any) => x.Id), [c.json().Id]);
      }
      const bad = await api(d.socket, "GET", `/containers/json?filters=${encodeURIComponent('{"bogus":["x"]}')}`);
      assert.equal(bad.status, 400);
      assert.match(bad.json().message, /invalid filter 'bogus'/);
    } finally {
      await api(d.socket, "DELETE", `/containers/${c.json().Id}?force=1`);
    }
  });

  test("a second daemon on the same data-root is refused with a clear error", async () => {
    const other = new TestDaemon();
    const r = await run(process.execPath, [WHARF, "daemon", "-H", `unix://${other.socket}`, "--data-root", d.dataRoot, "--exec-root", other.execRoot, "--pidfile", `${other.base}.pid`], { timeoutMs: 20_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /already running on data-root/);
  });
});
