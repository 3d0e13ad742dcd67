import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

// How an exit is recorded, as moby's integration suite checks it: what inspect shows the moment
// the container is seen exited, and which exits a restart policy or --rm acts on.
describe("container exits: OOMKilled, stop signal vs restart policy, restart of a --rm container", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());
  const docker = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });
  const state = async (name: string) => (await api(d.socket, "GET", `/containers/${name}/json`)).json().State;

  test("an OOM kill is in State.OOMKilled as soon as the container shows exited", async () => {
    const name = uniqueName("oom");
    const r = await docker(["run", "-d", "--name", name, "-m", "32m", "--memory-swap", "32m", "busybox", "sh", "-c", "x=a; while true; do x=$x$x$x$x; done"]);
    assert.equal(r.code, 0, r.stderr);
    try {
      const s = await waitFor("exited", async () => {
        const st = await state(name);
        return st.Status === "exited" ? st : undefined;
      }, 60_000, 20);
      assert.equal(s.OOMKilled, true, JSON.stringify(s));
      assert.equal(s.ExitCode, 137);
    } finally {
      await docker(["rm", "-f", name]);
    }
  });

  test("kill with the container's stop signal is a stop (no restart); another signal keeps the policy", async () => {
    const same = uniqueName("stopsig");
    const other = uniqueName("othersig");
    assert.equal((await docker(["run", "-d", "--name", same, "--restart", "always", "--stop-signal", "TERM", "busybox", "top"])).code, 0);
    assert.equal((await docker(["run", "-d", "--name", other, "--restart", "always", "--stop-signal", "CONT", "busybox", "top"])).code, 0);
    try {
      for (const n of [same, other]) assert.equal((await docker(["kill", "-s", "TERM", n])).code, 0);
      await waitFor("exited for good", async () => (await state(same)).Status === "exited", 20_000);
      await waitFor("restarted", async () => {
        const st = await state(other);
        return st.Status === "running" && (await api(d.socket, "GET", `/containers/${other}/json`)).json().RestartCount >= 1;
      }, 20_000);
      assert.equal((await state(same)).Status, "exited");
    } finally {
      await docker(["rm", "-f", same, other]);
    }
  });

  test("restart of a --rm container keeps it; its next stop removes it", async () => {
    const name = uniqueName("rmrestart");
    assert.equal((await docker(["run", "-d", "--rm", "--name", name, "busybox", "top"])).code, 0);
    try {
      const r = await api(d.socket, "POST", `/containers/${name}/restart?t=0`);
      assert.equal(r.status, 204, r.body);
      assert.equal((await state(name)).Status, "running");
      assert.equal((await api(d.socket, "POST", `/containers/${name}/stop?t=0`)).status, 204);
      await waitFor("removed", async () => (await api(d.socket, "GET", `/containers/${name}/json`)).status === 404, 20_000);
    } finally {
      await docker(["rm", "-f", name]);
    }
  });
});
