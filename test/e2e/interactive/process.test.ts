import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

describe("process control", () => {
  let d: TestDaemon;
  const docker = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("pause freezes a counter, unpause resumes it; top lists the processes", async () => {
    const name = uniqueName("pause");
    assert.equal((await docker(["run", "-d", "--name", name, "busybox", "sh", "-c", "i=0; while true; do i=$((i+1)); echo $i > /tmp/n; sleep 0.05; done"])).code, 0);
    try {
      const read = async () => Number((await docker(["exec", name, "cat", "/tmp/n"])).stdout.trim());
      await waitFor("the counter to start", async () => (await read()) > 2);
      assert.equal((await docker(["pause", name])).code, 0);
      assert.equal((await docker(["inspect", "-f", "{{.State.Status}} {{.State.Paused}}", name])).stdout, "paused true\n");
      assert.match((await docker(["ps", "-f", `name=${name}`, "--format", "{{.Status}}"])).stdout, /\(Paused\)/);
      const logFile = (await docker(["inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", name])).stdout.trim() + "/tmp/n";
      const { readFile } = await import("node:fs/promises");
      const frozen = await readFile(logFile, "utf8");
      await new Promise((r) => setTimeout(r, 500)); // the one place a pause must be observed over time
      assert.equal(await readFile(logFile, "utf8"), frozen, "the counter does not advance while paused");
      const top = await docker(["top", name]);
      assert.equal(top.code, 0, top.stderr);
      assert.match(top.stdout.split("\n")[0], /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD/);
      assert.match(top.stdout, /sh -c i=0/);
      assert.equal((await docker(["unpause", name])).code, 0);
      const n0 = await read();
      await waitFor("the counter to advance again", async () => (await read()) > n0);
      const apiTop = (await api(d.socket, "GET", `/containers/${name}/top?ps_args=aux`)).json();
      assert.ok(apiTop.Titles.includes("PID"));
      assert.ok(apiTop.Processes.length >= 1);
    } finally {
      await docker(["rm", "-f", name]);
    }
  });

  test("kill with a signal name or number; SIGKILL gives 137", async () => {
    const name = uniqueName("kill");
    assert.equal((await docker(["run", "-d", "--name", name, "busybox", "sh", "-c", "trap 'echo got-usr1' USR1; while true; do sleep 0.1; done"])).code, 0);
    try {
      await waitFor("the trap to be set", async () => (await docker(["top", name])).stdout.includes("sleep"));
      assert.equal((await docker(["kill", "-s", "USR1", name])).code, 0);
      await waitFor("the trap to fire", async () => (await docker(["logs", name])).stdout.includes("got-usr1"));
      assert.equal((await docker(["kill", "-s", "9", name])).code, 0);
      await waitFor("exit 137", async () => (await docker(["inspect", "-f", "{{.State.ExitCode}}", name])).stdout === "137\n");
    } finally {
      await docker(["rm", "-f", name]);
    }
  });

  test("stop honours --stop-signal and --stop-timeout", async () => {
    const name = uniqueName("stopsig");
    assert.equal((await docker(["run", "-d", "--name", name, "--stop-signal", "USR2", "--stop-timeout", "1", "busybox", "sh", "-c", "trap 'echo got-usr2; exit 0' USR2; while true; do sleep 0.1; done"])).code, 0);
    try {
      await waitFor("the trap to be set", async () => (await docker(["top", name])).stdout.includes("sleep"));
      const r = await docker(["stop", name]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await docker(["inspect", "-f", "{{.State.ExitCode}}", name])).stdout, "0\n");
      assert.match((await docker(["logs", name])).stdout, /got-usr2/);
    } finally {
      await docker(["rm", "-f", name]);
    }
  });
});
