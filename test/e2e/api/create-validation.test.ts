import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { checkedApi } from "../../helpers/api-schema.js";

/** dockerd 28's create-time checks of Config and HostConfig: 400 with its message, and nothing created. */
describe("container create validation", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  const counts = async () => ({
    containers: (await api(d.socket, "GET", "/containers/json?all=1")).json().length as number,
    volumes: ((await api(d.socket, "GET", "/volumes")).json().Volumes ?? []).length as number,
  });

  test("invalid modes, restart policies, env, hosts and ports are refused before anything is created", async () => {
    const vol = uniqueName("v");
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [{}, { IpcMode: "invalid" }, "invalid IPC mode: invalid"],
      [{}, { PidMode: "invalid" }, "invalid PID mode: invalid"],
      [{}, { PidMode: "container" }, "invalid PID mode: container"],
      [{}, { UTSMode: "invalid" }, "invalid UTS mode: invalid"],
      [{}, { CgroupnsMode: "invalid" }, "invalid cgroup namespace mode: invalid"],
      [{}, { UsernsMode: "private" }, "invalid user namespace mode: private"],
      [{}, { RestartPolicy: { Name: "on-failure", MaximumRetryCount: -1 } }, "invalid restart policy: maximum retry count cannot be negative"],
      [{}, { RestartPolicy: { Name: "always", MaximumRetryCount: 3 } }, "invalid restart policy: maximum retry count can only be used with 'on-failure'"],
      [{}, { RestartPolicy: { Name: "no", MaximumRetryCount: -2 } }, "invalid restart policy: maximum retry count can only be used with 'on-failure' and cannot be negative"],
      [{}, { AutoRemove: true, RestartPolicy: { Name: "always" } }, "can't create 'AutoRemove' container with restart policy"],
      [{ Env: ["=x"] }, {}, "invalid environment variable: =x"],
      [{ Env: [""] }, {}, "invalid environment variable: "],
      [{ WorkingDir: "relative/dir" }, {}, "the working directory 'relative/dir' is invalid, it needs to be an absolute path"],
      [{}, { ExtraHosts: ["nohost"] }, 'bad format for add-host: "nohost"'],
      [{}, { ExtraHosts: ["h:999.1.1.1"] }, 'invalid IP address in add-host: "999.1.1.1"'],
      [{}, { PortBindings: { "99999/tcp": [{ HostPort: "80" }] } }, 'invalid port specification: "99999"'],
      [{}, { PortBindings: { "80/tcp": [{ HostPort: "x" }] } }, 'invalid port specification: "x"'],
      [{}, { ShmSize: -1 }, "SHM size can not be less than 0"],
      [{}, { OomScoreAdj: 1001 }, "Invalid value 1001, range for oom score adj is [-1000, 1000]"],
      [{}, { CpuShares: -1 }, "invalid CPU shares (-1): value must be a positive integer"],
      [{ Hostname: "h" }, { NetworkMode: "container:x" }, "conflicting options: hostname and the network mode"],
      [{ Hostname: "h" }, { UTSMode: "host" }, "conflicting options: hostname and the UTS mode"],
      [{}, { Tmpfs: { relative: "" } }, "invalid mount config for type \"tmpfs\": invalid mount path: 'relative' mount path must be absolute"],
    ];
    const before = await counts();
    for (const [config, hostConfig, message] of cases) {
      const body = { Image: "busybox", Cmd: ["true"], ...config, HostConfig: { Binds: [`${vol}:/data`], ...hostConfig } };
      const r = await checkedApi(d.socket, "POST", `/containers/create?name=${uniqueName("bad")}`, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.body}`);
      assert.ok(r.json().message.startsWith(message), `${r.json().message} should start with ${message}`);
    }
    assert.deepEqual(await counts(), before, "a refused create left a container or a volume behind");
  });

  test("the docker CLI shows dockerd's message", async () => {
    const r = await run("docker", ["create", "--ipc", "invalid", "busybox"], { env: d.env });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error response from daemon: invalid IPC mode: invalid/);
  });

  test("valid modes and a container: reference are accepted", async () => {
    const name = uniqueName("ok");
    const r = await checkedApi(d.socket, "POST", `/containers/create?name=${name}`, {
      Image: "busybox", Cmd: ["true"],
      HostConfig: { IpcMode: "shareable", PidMode: "host", UTSMode: "host", CgroupnsMode: "host", UsernsMode: "host", RestartPolicy: { Name: "on-failure", MaximumRetryCount: 2 }, ExtraHosts: ["a:10.0.0.1", "b:host-gateway", "c:::1"] },
    });
    assert.equal(r.status, 201, r.body);
    const hc = (await checkedApi(d.socket, "GET", `/containers/${name}/json`)).json().HostConfig;
    assert.equal(hc.IpcMode, "shareable");
    assert.deepEqual(hc.RestartPolicy, { Name: "on-failure", MaximumRetryCount: 2 });
    await api(d.socket, "DELETE", `/containers/${name}`);
  });
});
