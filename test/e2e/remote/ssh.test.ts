import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, WHARF, type TestDaemon } from "../../helpers/daemon.js";
import { TestSshd } from "../../helpers/sshd.js";

/**
 * Issue 18: ssh:// engines. A private sshd on 127.0.0.1 (its own host key,
 * config and authorized key) stands for the remote host; its sessions find
 * this checkout's wharf as `wharf` and `docker`, with DOCKER_HOST pointing at
 * the test daemon. The docker CLI runs `ssh … docker system dial-stdio`,
 * wharf's client runs `ssh … wharf system dial-stdio`: both end in
 * wharf's dial-stdio, proxying to the daemon's socket.
 */
describe("ssh:// through the system ssh and wharf system dial-stdio", () => {
  let d: TestDaemon;
  const sshd = new TestSshd();
  let env: Record<string, string>;

  before(async () => {
    d = await startTestDaemon();
    await sshd.start(d.host);
    env = { ...sshd.clientEnv(), DOCKER_CONFIG: `${d.base}/ssh-client-config`, DOCKER_CONTEXT: "", DOCKER_TLS_VERIFY: "" };
    await fs.mkdir(env.DOCKER_CONFIG!, { recursive: true });
  });
  after(async () => {
    await sshd.stop();
    await d?.stop();
  });

  test("DOCKER_HOST=ssh://root@127.0.0.1:PORT docker ps lists the daemon's containers", async () => {
    const name = uniqueName("sshps");
    const c = await run("docker", ["create", "--name", name, "busybox", "true"], { env: d.env });
    assert.equal(c.code, 0, c.stderr);
    try {
      const r = await run("docker", ["ps", "-a", "--format", "{{.Names}}"], { env: { ...env, DOCKER_HOST: sshd.url() }, timeoutMs: 90_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.split("\n").includes(name), r.stdout);
    } finally {
      await run("docker", ["rm", "-f", name], { env: d.env });
    }
  });

  test("wharf -H ssh://… run --rm busybox echo hi", async () => {
    const r = await run(process.execPath, [WHARF, "-H", sshd.url(), "run", "--rm", "busybox", "echo", "hi"], { env, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "hi\n");
  });

  test("an ssh failure names the command and ssh's own words", async () => {
    const r = await run(process.execPath, [WHARF, "-H", `ssh://nobody-here@127.0.0.1:${sshd.port}`, "ps"], { env, timeoutMs: 60_000 });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /command \[ssh .*wharf system dial-stdio\] has exited with exit status 255.*Permission denied/s);
  });
});
