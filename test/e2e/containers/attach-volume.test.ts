import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { before, after, describe, test } from "node:test";
import { startTestDaemon, type TestDaemon } from "../../helpers/daemon.js";

/** Count the bytes a command writes to stdout, reading slowly at first to exercise back-pressure. */
function countStdout(cmd: string, args: string[], env: Record<string, string>, slowMs: number, onFirstData?: () => void): Promise<{ bytes: number; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let bytes = 0;
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), slowMs);
    child.stdout.on("data", (b: Buffer) => {
      if (bytes === 0) onFirstData?.();
      bytes += b.length;
    });
    const t = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code) => (clearTimeout(t), resolve({ bytes, code })));
  });
}

describe("attached output is complete", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("50 MB through `docker run` arrive byte for byte, even behind a slow reader", async () => {
    const size = 50 * 1000 * 1000;
    const r = await countStdout("docker", ["run", "--rm", "busybox", "sh", "-c", `yes 0123456789abcdefghi | head -c ${size}`], d.env, 1500);
    assert.equal(r.code, 0);
    assert.equal(r.bytes, size);
  });

  test("a daemon that stalls (SIGSTOP for a second) loses no output: the monitor holds the container back", async () => {
    const size = 30 * 1000 * 1000;
    const pid = d.proc!.pid!;
    const r = await countStdout("docker", ["run", "--rm", "busybox", "sh", "-c", `yes 0123456789abcdefghi | head -c ${size}`], d.env, 0, () => {
      process.kill(pid, "SIGSTOP");
      setTimeout(() => process.kill(pid, "SIGCONT"), 1000);
    });
    assert.equal(r.code, 0);
    assert.equal(r.bytes, size);
  });

  test("exec output arrives complete behind a slow reader too", async () => {
    const name = `vol-exec-${d.id}`;
    const { run } = await import("../../helpers/daemon.js");
    assert.equal((await run("docker", ["run", "-d", "--name", name, "busybox", "sleep", "120"], { env: d.env })).code, 0);
    try {
      const size = 20 * 1000 * 1000;
      const r = await countStdout("docker", ["exec", name, "sh", "-c", `yes 0123456789abcdefghi | head -c ${size}`], d.env, 1500);
      assert.equal(r.code, 0);
      assert.equal(r.bytes, size);
    } finally {
      await run("docker", ["rm", "-f", name], { env: d.env });
    }
  });
});
