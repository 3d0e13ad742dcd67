import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { rawRequest } from "../../helpers/raw-http.js";
import { Tmux } from "../../helpers/tmux.js";

/**
 * ConsoleSize (API >= 1.42) sizes the terminal before the process starts: a
 * command that reads its size at once (`stty size`) sees it, with no resize
 * race. The docker CLI sends it from its own terminal for run -t and exec -t.
 */
describe("TTY size at process start", () => {
  let d: TestDaemon;
  let box: string;
  before(async () => {
    d = await startTestDaemon();
    box = uniqueName("console");
    // runc sizes an exec's terminal before the process runs; crun 1.8 sizes it just after
    // starting the process (its own race, see docs/compat.md), so the exec checks use runc.
    assert.equal((await run("docker", ["run", "-d", "--runtime", "runc", "--name", box, "busybox", "sleep", "300"], { env: d.env })).code, 0);
  });
  after(async () => {
    await run("docker", ["rm", "-f", box], { env: d.env });
    await d?.stop();
  });

  test("docker run -t and exec -t: stty size prints the CLI's terminal size as the first thing", async () => {
    for (const cmd of [`docker run --rm -t busybox stty size`, `docker exec -t ${box} stty size`]) {
      const t = new Tmux(d.env);
      try {
        await t.start(cmd, 97, 23);
        const pane = await t.waitPane(`${cmd} to finish`, /EXIT=\d+/);
        assert.match(pane, /^23 97\s*$/m, `${cmd}:\n${pane}`);
        assert.match(pane, /EXIT=0/, `${cmd}:\n${pane}`);
      } finally {
        await t.kill();
      }
    }
  });

  test("HostConfig.ConsoleSize at create; exec ConsoleSize at create and at start (start wins); ignored before API 1.42", async () => {
    const name = uniqueName("console-create");
    const c = await api(d.socket, "POST", `/containers/create?name=${name}`, { Image: "busybox", Cmd: ["stty", "size"], Tty: true, HostConfig: { ConsoleSize: [27, 91] } });
    assert.equal(c.status, 201, c.body);
    try {
      assert.deepEqual((await api(d.socket, "GET", `/containers/${name}/json`)).json().HostConfig.ConsoleSize, [27, 91]);
      assert.equal((await api(d.socket, "POST", `/containers/${name}/start`)).status, 204);
      await api(d.socket, "POST", `/containers/${name}/wait`);
      const logs = await api(d.socket, "GET", `/containers/${name}/logs?stdout=1`);
      assert.equal(logs.body, "27 91\r\n");
    } finally {
      await api(d.socket, "DELETE", `/containers/${name}?force=1`);
    }

    const bad = await api(d.socket, "POST", `/containers/create`, { Image: "busybox", Tty: true, HostConfig: { ConsoleSize: [1, 2, 3] } });
    assert.equal(bad.status, 400, bad.body);

    const execStty = async (version: string, create: Record<string, unknown>, start: Record<string, unknown>) => {
      const e = await api(d.socket, "POST", `/${version}/containers/${box}/exec`, { Cmd: ["stty", "size"], AttachStdout: true, AttachStderr: true, Tty: true, ...create });
      assert.equal(e.status, 201, e.body);
      const r = await rawRequest(d.socket, "POST", `/${version}/exec/${e.json().Id}/start`, { body: { Detach: false, Tty: true, ...start }, upgrade: true });
      return r.body.toString();
    };
    assert.equal(await execStty("v1.50", { ConsoleSize: [31, 101] }, {}), "31 101\r\n");
    assert.equal(await execStty("v1.50", { ConsoleSize: [31, 101] }, { ConsoleSize: [12, 34] }), "12 34\r\n");
    assert.notEqual(await execStty("v1.41", { ConsoleSize: [31, 101] }, { ConsoleSize: [12, 34] }), "12 34\r\n");
  });
});
