import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { checkedApi } from "../../helpers/api-schema.js";

/**
 * Request bodies as Docker ≥ 23 reads them: JSON Content-Type, Go's syntax
 * messages, nothing after the value; `null` anywhere means "not set"; a wrong
 * type is a 400 naming the field. Every JSON answer is checked against the
 * swagger's response schema.
 */
describe("request bodies", () => {
  let d: TestDaemon;
  let ctr = "";
  before(async () => {
    d = await startTestDaemon();
    ctr = uniqueName("rb");
    const r = await api(d.socket, "POST", `/containers/create?name=${ctr}`, { Image: "busybox", Cmd: ["sleep", "300"] });
    assert.equal(r.status, 201, r.body);
  });
  after(async () => {
    if (d) await api(d.socket, "DELETE", `/containers/${ctr}?force=1`);
    await d?.stop();
  });

  const raw = (method: string, path: string, body: string, contentType: string) => checkedApi(d.socket, method, path, body, { "Content-Type": contentType });
  const endpoints = () => [
    "/containers/create",
    `/containers/${ctr}/update`,
    `/containers/${ctr}/exec`,
    "/exec/nonexistent/start",
    "/networks/create",
    "/networks/nonexistent/connect",
    "/networks/nonexistent/disconnect",
    "/volumes/create",
    `/commit?container=${ctr}`,
    "/auth",
    `/v1.23/containers/${ctr}/start`,
    `/v1.23/containers/${ctr}/copy`,
  ];

  test("a non-JSON Content-Type is refused on every JSON endpoint", async () => {
    for (const ep of endpoints()) {
      // Longer than 7 bytes: dockerd reads a start body only then (the shortest non-empty object).
      const r = await raw("POST", ep, '{"x": 1}', "text/plain");
      assert.equal(r.status, 400, `${ep}: ${r.body}`);
      assert.equal(r.json().message, "unsupported Content-Type header (text/plain): must be 'application/json'", ep);
    }
  });

  test("invalid JSON is refused with Go's message", async () => {
    for (const ep of endpoints()) {
      const r = await raw("POST", ep, "{invalid json", "application/json");
      assert.equal(r.status, 400, `${ep}: ${r.body}`);
      assert.equal(r.json().message, "invalid JSON: invalid character 'i' looking for beginning of object key string", ep);
    }
    const cases: [string, string][] = [
      ['{"Image": "busybox",}', "invalid JSON: invalid character '}' looking for beginning of object key string"],
      ['{"Image" "busybox"}', "invalid JSON: invalid character '\"' after object key"],
      ['{"Image": "busybox" "Cmd": []}', "invalid JSON: invalid character '\"' after object key:value pair"],
      ['{"Cmd": ["a" "b"]}', "invalid JSON: invalid character '\"' after array element"],
      ['{"Image": tru}', "invalid JSON: invalid character '}' in literal true (expecting 'e')"],
      ['{"Image": "busy', "invalid JSON: unexpected EOF"],
      ["   ", "invalid JSON: got EOF while reading request body"],
    ];
    for (const [body, message] of cases) {
      const r = await raw("POST", "/containers/create", body, "application/json");
      assert.equal(r.status, 400, body);
      assert.equal(r.json().message, message, body);
    }
  });

  test("content after the JSON value is refused", async () => {
    for (const ep of endpoints()) {
      const r = await raw("POST", ep, "{} trailing content", "application/json");
      assert.equal(r.status, 400, `${ep}: ${r.body}`);
      assert.equal(r.json().message, "unexpected content after JSON", ep);
    }
  });

  test("null fields mean 'not set' in create, update, exec, network and volume bodies", async () => {
    const name = uniqueName("nulls");
    const create = await checkedApi(d.socket, "POST", `/containers/create?name=${name}`, {
      Image: "busybox", Cmd: ["sleep", "300"], Env: null, Labels: null, Entrypoint: null, ExposedPorts: null, Volumes: null, Healthcheck: null,
      WorkingDir: null, User: null, StopSignal: null, OnBuild: null, Shell: null,
      HostConfig: { Mounts: null, Binds: null, PortBindings: null, RestartPolicy: null, LogConfig: null, Dns: null, ExtraHosts: null, CapAdd: null, Devices: null, Ulimits: null, Tmpfs: null, Sysctls: null, Memory: null, PidsLimit: null, SecurityOpt: null, VolumesFrom: null },
      NetworkingConfig: { EndpointsConfig: null },
    });
    assert.equal(create.status, 201, create.body);
    try {
      assert.equal((await checkedApi(d.socket, "GET", `/containers/${name}/json`)).status, 200);
      assert.equal((await checkedApi(d.socket, "POST", `/containers/${name}/start`)).status, 204);
      const upd = await checkedApi(d.socket, "POST", `/containers/${name}/update`, { Memory: null, PidsLimit: null, RestartPolicy: null, CpuShares: null, BlkioWeightDevice: null });
      assert.equal(upd.status, 200, upd.body);
      const exec = await checkedApi(d.socket, "POST", `/containers/${name}/exec`, { Cmd: ["true"], Env: null, User: null, WorkingDir: null, DetachKeys: null, ConsoleSize: null });
      assert.equal(exec.status, 201, exec.body);
      const start = await checkedApi(d.socket, "POST", `/exec/${exec.json().Id}/start`, { Detach: true, Tty: null, ConsoleSize: null });
      assert.equal(start.status, 200, start.body);
    } finally {
      await api(d.socket, "DELETE", `/containers/${name}?force=1`);
    }
    const vol = await checkedApi(d.socket, "POST", "/volumes/create", { Name: null, Driver: null, DriverOpts: null, Labels: null });
    assert.equal(vol.status, 201, vol.body);
    await api(d.socket, "DELETE", `/volumes/${vol.json().Name}`);
    const netName = uniqueName("nn");
    const net = await checkedApi(d.socket, "POST", "/networks/create", {
      Name: netName, Driver: null, Options: null, Labels: null, Internal: null, EnableIPv6: null,
      // An explicit subnet: the default pools may be used up by other suites on a shared machine.
      IPAM: { Driver: null, Options: null, Config: [{ Subnet: `10.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}.0/24`, Gateway: null, IPRange: null, AuxiliaryAddresses: null }] },
    });
    assert.equal(net.status, 201, net.body);
    await api(d.socket, "DELETE", `/networks/${netName}`);
  });

  test("filters=null on list endpoints is no filter", async () => {
    for (const ep of ["/containers/json", "/images/json", "/networks", "/volumes"]) {
      const r = await checkedApi(d.socket, "GET", `${ep}?filters=null`);
      assert.equal(r.status, 200, `${ep}: ${r.body}`);
    }
  });

  test("POST /build with buildargs=null, labels=null, cachefrom=null builds", async () => {
    const dir = `${d.base}/${uniqueName("ctx")}`;
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(`${dir}/Dockerfile`, "FROM busybox\nRUN true\n");
    assert.equal((await run("tar", ["-C", dir, "-cf", `${dir}.tar`, "."])).code, 0);
    const tag = uniqueName("nullbuild");
    const r = await api(d.socket, "POST", `/build?t=${tag}&buildargs=null&labels=null&cachefrom=null`, await fs.readFile(`${dir}.tar`), { "Content-Type": "application/x-tar" });
    assert.equal(r.status, 200, r.body);
    assert.doesNotMatch(r.body, /errorDetail|Cannot convert/);
    assert.equal((await checkedApi(d.socket, "GET", `/images/${tag}/json`)).status, 200);
  });

  test("a wrong type is a 400 naming the field", async () => {
    const cases: [string, unknown, RegExp][] = [
      ["/containers/create", { Image: "busybox", Env: "A=1" }, /cannot unmarshal string into Go struct field CreateRequest\.Env of type \[\]string/],
      ["/containers/create", { Image: "busybox", HostConfig: { Memory: "1g" } }, /cannot unmarshal string into Go struct field CreateRequest\.HostConfig\.Memory/],
      ["/containers/create", { Image: "busybox", HostConfig: { Privileged: "yes" } }, /CreateRequest\.HostConfig\.Privileged of type bool/],
      ["/containers/create", { Image: "busybox", Labels: { a: 1 } }, /CreateRequest\.Labels\.a of type string/],
      ["/containers/create", { Image: "busybox", HostConfig: { RestartPolicy: { Name: "sometimes" } } }, /invalid restart policy: unknown policy 'sometimes'/],
      ["/containers/create", { Image: "busybox", HostConfig: { Mounts: [{ Type: "weird", Target: "/x" }] } }, /invalid mount config for type "weird": mount type unknown/],
      ["/containers/create", [], /cannot unmarshal array into Go value of type CreateRequest/],
      [`/containers/${"CTR"}/update`, { Memory: 1.5 }, /cannot unmarshal number 1\.5 into Go struct field UpdateConfig\.Memory/],
      ["/volumes/create", { Name: 7 }, /CreateOptions\.Name of type string/],
      ["/networks/create", { Name: "x", Internal: "no" }, /CreateRequest\.Internal of type bool/],
      [`/containers/${"CTR"}/exec`, { Cmd: "ls" }, /ExecOptions\.Cmd of type \[\]string/],
    ];
    for (const [ep, body, message] of cases) {
      const r = await checkedApi(d.socket, "POST", ep.replace("CTR", ctr), body);
      assert.equal(r.status, 400, `${ep} ${JSON.stringify(body)}: ${r.body}`);
      assert.match(r.json().message, message);
    }
  });
});
