import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";

/**
 * testcontainers-node against a wharf daemon, offline: no Ryuk (it would pull
 * from Docker Hub), DOCKER_HOST at the test daemon, a locally built image.
 */
describe("testcontainers-node smoke suite", () => {
  let d: TestDaemon;
  let image: string;
  let tc: typeof import("testcontainers");
  before(async () => {
    d = await startTestDaemon();
    image = `${uniqueName("tc")}:1`;
    const ctx = `${d.base}/tc-image`;
    await fs.mkdir(ctx, { recursive: true });
    await fs.writeFile(
      `${ctx}/Dockerfile`,
      [
        "FROM busybox",
        "RUN mkdir -p /www && echo hello-from-wharf > /www/index.html",
        "EXPOSE 8080",
        `CMD ["sh", "-c", "echo starting; httpd -f -p 8080 -h /www & sleep 0.3; echo ready; wait"]`,
      ].join("\n") + "\n",
    );
    const b = await run("docker", ["build", "-q", "-t", image, ctx], { env: { ...d.env, DOCKER_BUILDKIT: "0" } });
    assert.equal(b.code, 0, b.stderr);
    // testcontainers reads these once, when it first talks to a daemon.
    process.env.DOCKER_HOST = d.host;
    process.env.DOCKER_CONFIG = d.env.DOCKER_CONFIG;
    process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
    process.env.TESTCONTAINERS_HOST_OVERRIDE = "127.0.0.1";
    tc = await import("testcontainers");
  });
  after(async () => d?.stop());

  test("GenericContainer with a log wait strategy: mapped port, exec, logs, stop", { timeout: 90_000 }, async () => {
    const c = await new tc.GenericContainer(image).withName(uniqueName("tc-log")).withExposedPorts(8080).withWaitStrategy(tc.Wait.forLogMessage("ready")).start();
    try {
      const res = await fetch(`http://${c.getHost()}:${c.getMappedPort(8080)}/index.html`);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "hello-from-wharf\n");
      assert.deepEqual(await c.exec(["sh", "-c", "echo out; echo err >&2; exit 4"]), { output: "out\nerr\n", stdout: "out\n", stderr: "err\n", exitCode: 4 });
      const logs = await c.logs();
      let text = "";
      logs.on("data", (b) => (text += b));
      await new Promise<void>((resolve) => {
        const check = () => (text.includes("ready\n") ? resolve() : setTimeout(check, 50));
        check();
      });
      assert.equal(text, "starting\nready\n");
    } finally {
      await c.stop();
    }
  });

  test("HTTP and listening-port wait strategies; a network with aliases", { timeout: 90_000 }, async () => {
    const network = await new tc.Network().start();
    try {
      const web = await new tc.GenericContainer(image).withNetwork(network).withNetworkAliases("web").withExposedPorts(8080).withWaitStrategy(tc.Wait.forHttp("/index.html", 8080)).start();
      try {
        const probe = await new tc.GenericContainer(image).withNetwork(network).withCommand(["sleep", "60"]).start();
        try {
          const r = await probe.exec(["wget", "-qO-", "http://web:8080/index.html"]);
          assert.equal(r.exitCode, 0, r.output);
          assert.equal(r.stdout, "hello-from-wharf\n");
        } finally {
          await probe.stop();
        }
      } finally {
        await web.stop();
      }
      const plain = await new tc.GenericContainer(image).withExposedPorts(8080).start(); // default: listening ports
      await plain.stop();
    } finally {
      await network.stop();
    }
  });
});
