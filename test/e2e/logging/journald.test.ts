import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { Journald } from "../../helpers/receivers.js";

/** The journald driver against Debian's systemd-journald run privately, read back with journalctl. */
describe("journald log driver", { skip: (await Journald.foreignJournal()) && "a journald not started by the tests serves /run/systemd/journal/socket" }, () => {
  let d: TestDaemon;
  let j: Journald | undefined;
  const dk = (args: string[], timeoutMs = 120_000) => run("docker", args, { env: d.env, timeoutMs });

  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
    await j?.stop();
  });

  test("without a journal the container does not start, with dockerd's message", async () => {
    const r = await dk(["run", "--rm", "--log-driver", "journald", "busybox", "true"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /failed to initialize logging driver: journald is not enabled on this host/);
  });

  test("entries carry dockerd's fields; docker logs reads the local cache", async () => {
    j = new Journald();
    await j.start();
    const name = uniqueName("jd");
    const r = await dk(["run", "--name", name, "--log-driver", "journald", "--log-opt", "tag={{.Name}}", "--log-opt", "labels=my.label",
      "-l", "my.label=v1", "busybox", "sh", "-c", "echo to-out; echo to-err >&2; printf 'two\\nlines\\n'"]);
    assert.equal(r.code, 0, r.stderr);
    try {
      const id = (await dk(["inspect", "-f", "{{.Id}}", name])).stdout.trim();
      const entries = await waitFor("4 entries in the journal", async () => {
        const e = await j!.entries(`CONTAINER_NAME=${name}`);
        return e.length >= 4 ? e : undefined;
      });
      // Order holds within a stream (stdout and stderr are separate pipes, as in Docker).
      assert.deepEqual(entries.filter((e) => e.PRIORITY === "6").map((e) => e.MESSAGE), ["to-out", "two", "lines"]);
      assert.deepEqual(entries.filter((e) => e.PRIORITY === "3").map((e) => e.MESSAGE), ["to-err"]);
      const e = entries[0];
      assert.equal(e.CONTAINER_ID, id.slice(0, 12));
      assert.equal(e.CONTAINER_ID_FULL, id);
      assert.equal(e.CONTAINER_TAG, name);
      assert.equal(e.SYSLOG_IDENTIFIER, name);
      assert.equal(e.IMAGE_NAME, "busybox");
      assert.equal(e.MY_LABEL, "v1");
      assert.match(e.SYSLOG_TIMESTAMP, /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      const logs = await dk(["logs", name]);
      assert.equal(logs.stdout, "to-out\ntwo\nlines\n");
      assert.equal(logs.stderr, "to-err\n");
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  test("output written while the daemon is down (SIGKILL) reaches the journal after it restarts, in order", async () => {
    const name = uniqueName("jd-kill");
    const r = await dk(["run", "-d", "--name", name, "--log-driver", "journald", "busybox", "sh", "-c",
      "i=1; while [ $i -le 3000 ]; do echo line-$i; [ $((i % 100)) = 0 ] && usleep 50000; i=$((i+1)); done"]);
    assert.equal(r.code, 0, r.stderr);
    try {
      await waitFor("some entries", async () => (await j!.entries(`CONTAINER_NAME=${name}`)).length > 200, 30_000, 100);
      await d.kill9();
      await new Promise((res) => setTimeout(res, 1000));
      await d.start();
      assert.equal((await dk(["wait", name], 120_000)).stdout, "0\n");
      const got = await waitFor("all 3000 entries", async () => {
        const e = await j!.entries(`CONTAINER_NAME=${name}`);
        return e.length >= 3000 ? e : undefined;
      }, 60_000, 300);
      const nums = got.map((e) => Number(e.MESSAGE.slice(5)));
      // At least once: a restarted daemon resends what it had sent but not yet recorded as sent.
      let max = 0;
      const unique = nums.filter((n) => (n > max ? ((max = n), true) : false));
      assert.deepEqual(unique, Array.from({ length: 3000 }, (_, i) => i + 1));
      assert.ok(nums.length - unique.length < 600, `${nums.length - unique.length} repeats`);
    } finally {
      await dk(["rm", "-f", name]);
    }
  });
});
