import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/** HEALTHCHECK through the real docker CLI: ps status, State.Health, events, the health filter. */
describe("health checks", () => {
  let d: TestDaemon;
  const docker = (...args: string[]) => run("docker", args, { env: d.env });
  const statusOf = async (name: string) => (await docker("ps", "-a", "-f", `name=^${name}$`, "--format", "{{.Status}}")).stdout.trim();

  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  test("a passing check shows (healthy) in ps", async () => {
    const name = uniqueName("ok");
    assert.equal((await docker("run", "-d", "--name", name, "--health-cmd", "test -e /bin/sh", "--health-interval", "1s", "busybox", "sleep", "300")).code, 0);
    try {
      assert.match(await statusOf(name), /^Up .*\((health: starting|healthy)\)$/);
      await waitFor("(healthy)", async () => /\(healthy\)$/.test(await statusOf(name)), 30_000, 200);
      const h = JSON.parse((await docker("inspect", "-f", "{{json .State.Health}}", name)).stdout);
      assert.equal(h.Status, "healthy");
      assert.equal(h.FailingStreak, 0);
      assert.equal(h.Log[0].ExitCode, 0);
      assert.equal((await docker("ps", "-q", "-f", "health=healthy", "-f", `name=${name}`)).stdout.trim().length, 12);
    } finally {
      await docker("rm", "-f", name);
    }
  });

  test("a check failing three times shows (unhealthy) and a health_status event", async () => {
    const name = uniqueName("bad");
    const since = Math.floor(Date.now() / 1000) - 1;
    const r = await docker("run", "-d", "--name", name, "--health-cmd", "echo failing; exit 1", "--health-interval", "1s", "--health-retries", "3", "busybox", "sleep", "300");
    assert.equal(r.code, 0, r.stderr);
    try {
      await waitFor("(unhealthy)", async () => /\(unhealthy\)$/.test(await statusOf(name)), 30_000, 200);
      const h = JSON.parse((await docker("inspect", "-f", "{{json .State.Health}}", name)).stdout);
      assert.equal(h.Status, "unhealthy");
      assert.ok(h.FailingStreak >= 3);
      assert.ok(h.Log.length >= 3 && h.Log.length <= 5);
      assert.equal(h.Log[0].Output, "failing\n");
      const ev = await docker("events", "--since", String(since), "--until", String(Math.floor(Date.now() / 1000) + 1), "-f", `container=${name}`, "-f", "event=health_status", "--format", "{{.Action}}");
      assert.deepEqual(ev.stdout.trim().split("\n"), ["health_status: unhealthy"]);
      assert.match((await docker("ps", "-f", "health=unhealthy", "--format", "{{.Names}}")).stdout, new RegExp(name));
      assert.doesNotMatch((await docker("ps", "-f", "health=healthy", "--format", "{{.Names}}")).stdout, new RegExp(name));
    } finally {
      await docker("rm", "-f", name);
    }
  });

  test("a check that outlives its timeout fails; --no-healthcheck has no Health", async () => {
    const name = uniqueName("slow");
    await docker("run", "-d", "--name", name, "--health-cmd", "sleep 5", "--health-interval", "1s", "--health-timeout", "300ms", "--health-retries", "1", "busybox", "sleep", "300");
    try {
      await waitFor("(unhealthy)", async () => /\(unhealthy\)$/.test(await statusOf(name)), 30_000, 200);
      const h = JSON.parse((await docker("inspect", "-f", "{{json .State.Health}}", name)).stdout);
      assert.equal(h.Log[0].ExitCode, -1);
      assert.match(h.Log[0].Output, /Health check exceeded timeout \(300ms\)/);
    } finally {
      await docker("rm", "-f", name);
    }
    const none = uniqueName("none");
    await docker("run", "-d", "--name", none, "--no-healthcheck", "busybox", "sleep", "300");
    try {
      assert.equal((await docker("inspect", "-f", "{{json .State.Health}}", none)).stdout.trim(), "null");
      assert.match(await statusOf(none), /^Up [^()]*$/);
      assert.match((await docker("ps", "-f", "health=none", "--format", "{{.Names}}")).stdout, new RegExp(none));
    } finally {
      await docker("rm", "-f", none);
    }
  });
});
