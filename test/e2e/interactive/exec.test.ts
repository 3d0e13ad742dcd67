import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, waitFor, WHARF, type TestDaemon } from "../../helpers/daemon.js";

describe("exec", () => {
  let d: TestDaemon;
  let name: string;
  const docker = (args: string[], input?: string) => run("docker", args, { env: d.env, input });
  before(async () => {
    d = await startTestDaemon();
    name = uniqueName("exec");
    assert.equal((await docker(["run", "-d", "--name", name, "busybox", "sleep", "300"])).code, 0);
  });
  after(async () => {
    await docker(["rm", "-f", name]);
    await d?.stop();
  });

  test("exit code propagates through docker exec and wharf exec", async () => {
    assert.equal((await docker(["exec", name, "sh", "-c", "exit 5"])).code, 5);
    assert.equal((await run(process.execPath, [WHARF, "exec", name, "sh", "-c", "exit 6"], { env: d.env })).code, 6);
  });

  test("output, stderr, env, workdir and user", async () => {
    const r = await docker(["exec", "-e", "X=1", "-w", "/tmp", name, "sh", "-c", "echo $X $(pwd); echo err >&2"]);
    assert.equal(r.stdout, "1 /tmp\n");
    assert.equal(r.stderr, "err\n");
    assert.equal((await docker(["exec", "-u", "1000", name, "id", "-u"])).stdout, "1000\n");
    assert.equal((await docker(["exec", "-u", "nobody", name, "id", "-un"])).stdout, "nobody\n");
  });

  test("stdin with -i", async () => {
    const r = await docker(["exec", "-i", name, "cat"], "piped\n");
    assert.equal(r.stdout, "piped\n");
  });

  test("exec -d runs in the background", async () => {
    assert.equal((await docker(["exec", "-d", name, "touch", "/tmp/x"])).code, 0);
    await waitFor("/tmp/x to exist", async () => (await docker(["exec", name, "test", "-f", "/tmp/x"])).code === 0);
  });

  test("exec inspect reports ExitCode, Running and Pid", async () => {
    const c = await api(d.socket, "POST", `/containers/${name}/exec`, { Cmd: ["sh", "-c", "exit 3"], AttachStdout: true });
    assert.equal(c.status, 201, c.body);
    const id = c.json().Id;
    const before = (await api(d.socket, "GET", `/exec/${id}/json`)).json();
    assert.equal(before.Running, false);
    assert.equal(before.ExitCode, null);
    const s = await api(d.socket, "POST", `/exec/${id}/start`, { Detach: true });
    assert.equal(s.status, 200);
    const done = await waitFor("exec to finish", async () => {
      const j = (await api(d.socket, "GET", `/exec/${id}/json`)).json();
      return j.Running === false && j.ExitCode !== null ? j : undefined;
    });
    assert.equal(done.ExitCode, 3);
    assert.ok(done.Pid > 0);
    assert.equal((await api(d.socket, "POST", `/exec/${id}/start`, { Detach: true })).status, 409);
  });

  test("exec into a stopped or paused container is docker's 409", async () => {
    const stopped = uniqueName("stopped");
    assert.equal((await docker(["create", "--name", stopped, "busybox", "true"])).code, 0);
    const r = await api(d.socket, "POST", `/containers/${stopped}/exec`, { Cmd: ["true"] });
    assert.equal(r.status, 409);
    assert.match(r.json().message, /is not running/);
    await docker(["rm", stopped]);
    assert.equal((await docker(["pause", name])).code, 0);
    try {
      const p = await docker(["exec", name, "true"]);
      assert.notEqual(p.code, 0);
      assert.match(p.stderr, /is paused, unpause the container before exec/);
    } finally {
      await docker(["unpause", name]);
    }
  });
});
