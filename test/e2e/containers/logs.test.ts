import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/** `docker logs` against a wharf daemon: follow, tail, timestamps, since/until, stream separation. */
describe("docker logs", () => {
  let d: TestDaemon;
  const dk = (args: string[], opts: { timeoutMs?: number } = {}) => run("docker", args, { env: d.env, timeoutMs: 60_000, ...opts });
  const out = async (args: string[]) => {
    const r = await dk(args);
    assert.equal(r.code, 0, `docker ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  // An exited container with 5 stdout and 5 stderr lines about 200 ms apart.
  const done = uniqueName("logs-done");

  before(async () => {
    d = await startTestDaemon();
    const r = await dk(["run", "--name", done, "busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; sleep 0.2; done"]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await dk(["rm", "-f", done]);
    await d?.stop();
  });

  test("stdout and stderr stay separate", async () => {
    const r = await dk(["logs", done]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "out1\nout2\nout3\nout4\nout5\n");
    assert.equal(r.stderr, "err1\nerr2\nerr3\nerr4\nerr5\n");
  });

  test("-f follows a running container until it exits", async () => {
    const name = uniqueName("logs-follow");
    await out(["run", "-d", "--name", name, "busybox", "sh", "-c", "for i in 1 2 3 4 5 6; do echo line$i; sleep 0.3; done"]);
    try {
      const r = await dk(["logs", "-f", name], { timeoutMs: 30_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "line1\nline2\nline3\nline4\nline5\nline6\n");
      assert.equal(await out(["inspect", "-f", "{{.State.Status}}", name]), "exited\n");
      assert.ok(r.ms >= 500, `logs -f returned after ${r.ms} ms: it must wait for the exit`);
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  test("--tail N counts lines of both streams", async () => {
    const all = await dk(["logs", "--tail", "all", done]);
    assert.equal(all.stdout.split("\n").length + all.stderr.split("\n").length - 2, 10);
    const last2 = await dk(["logs", "--tail", "2", done]);
    assert.equal(last2.stdout.split("\n").filter(Boolean).length + last2.stderr.split("\n").filter(Boolean).length, 2);
    assert.match(last2.stdout + last2.stderr, /out5\n/);
    const none = await dk(["logs", "--tail", "0", done]);
    assert.equal(none.stdout + none.stderr, "");
    const tail1 = await dk(["logs", "--tail", "1", "-f", done]);
    assert.equal(tail1.code, 0, "-f on an exited container returns");
    assert.equal(tail1.stdout.split("\n").filter(Boolean).length + tail1.stderr.split("\n").filter(Boolean).length, 1);
  });

  test("-t prefixes RFC 3339 nanosecond timestamps; --since/--until select by them", async () => {
    const stamped = (await out(["logs", "-t", done])).split("\n").filter(Boolean);
    assert.equal(stamped.length, 5);
    for (const l of stamped) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z out\d$/);
    const times = stamped.map((l) => l.split(" ")[0]!);
    // Lines are ~200 ms apart: select out2..out4 with absolute since/until.
    const between = await out(["logs", "--since", times[1]!, "--until", times[3]!, done]);
    assert.equal(between, "out2\nout3\nout4\n");
    const since = await out(["logs", "--since", times[4]!, done]);
    assert.equal(since, "out5\n");
    assert.equal(await out(["logs", "--until", "2000-01-01T00:00:00Z", done]), "");
    assert.equal(await out(["logs", "--since", "1h", done]), "out1\nout2\nout3\nout4\nout5\n");
    const unixSince = Math.floor(Date.parse(times[0]!) / 1000) - 1;
    assert.equal(await out(["logs", "--since", String(unixSince), done]), "out1\nout2\nout3\nout4\nout5\n");
  });

  test("logs of a running container while it writes, then after it is stopped", async () => {
    const name = uniqueName("logs-live");
    await out(["run", "-d", "--name", name, "busybox", "sh", "-c", "echo first; echo warn >&2; sleep 60"]);
    try {
      const r = await waitFor("both lines logged", async () => {
        const l = await dk(["logs", name]);
        return l.stdout === "first\n" && l.stderr === "warn\n" ? l : undefined;
      });
      assert.equal(r.code, 0);
      await out(["stop", "-t", "0", name]);
      assert.equal((await dk(["logs", name])).stdout, "first\n");
    } finally {
      await dk(["rm", "-f", name]);
    }
  });
});
