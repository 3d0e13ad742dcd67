import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

describe("restart policies", () => {
  let d: TestDaemon;
  const docker = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });
  const state = async (name: string) => (await docker(["inspect", "-f", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", name])).stdout.trim();
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("on-failure:3 restarts three times, then stays exited", async () => {
    const name = uniqueName("onfail");
    assert.equal((await docker(["run", "-d", "--name", name, "--restart", "on-failure:3", "busybox", "sh", "-c", "exit 1"])).code, 0);
    try {
      await waitFor("RestartCount 3 and exited", async () => (await state(name)) === "exited 3 1", 30_000, 100);
    } finally {
      await docker(["rm", "-f", name]);
    }
  });

  test("--restart with --rm is refused", async () => {
    const r = await docker(["run", "--rm", "--restart", "always", "busybox", "true"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /conflicting options: cannot specify both --restart and --rm/);
  });

  test("always survives a daemon restart; unless-stopped stopped by hand stays stopped; a manual stop is not undone", async () => {
    const always = uniqueName("always");
    const unless = uniqueName("unless");
    const unlessRunning = uniqueName("unlessrun");
    for (const [n, p] of [[always, "always"], [unless, "unless-stopped"], [unlessRunning, "unless-stopped"]]) {
      assert.equal((await docker(["run", "-d", "--name", n, "--restart", p, "busybox", "sleep", "300"])).code, 0);
    }
    try {
      assert.equal((await docker(["stop", "-t", "1", unless])).code, 0);
      assert.match(await state(unless), /^exited/);
      // A clean daemon restart (SIGTERM stops the containers like dockerd).
      assert.equal(await d.terminate(), 0);
      await d.start();
      await waitFor("always to be running again", async () => (await state(always)).startsWith("running"));
      await waitFor("unless-stopped (not stopped by hand) to be running again", async () => (await state(unlessRunning)).startsWith("running"));
      assert.match(await state(unless), /^exited/, "unless-stopped stopped by hand stays stopped");
      // A crash (SIGKILL): the containers keep running under their monitors.
      await d.kill9();
      await d.start();
      assert.match(await state(always), /^running/);
    } finally {
      await docker(["rm", "-f", always, unless, unlessRunning]);
    }
  });
});
