import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestDaemon, uniqueName, waitFor, run, type TestDaemon } from "../../helpers/daemon.js";
import { docker, freePort, httpGet, httpdCmd } from "./net-helpers.js";

// Issue 6: published ports through the real docker CLI (loopback traffic only).
describe("published ports", () => {
  let d: TestDaemon;
  let dk: ReturnType<typeof docker>;
  before(async () => {
    d = await startTestDaemon();
    dk = docker(d);
  });
  after(async () => d?.stop());

  it("-p 127.0.0.1:PORT:80 serves a file to a client on 127.0.0.1", async () => {
    const port = await freePort();
    const name = uniqueName("web");
    await dk("run", "-d", "--name", name, "-p", `127.0.0.1:${port}:80`, "busybox", ...httpdCmd("hello-wharf"));
    try {
      const body = await waitFor("httpd answers", () => httpGet("127.0.0.1", port).then((b) => b.includes("hello-wharf") && b));
      assert.match(body, /200 OK/);
      assert.equal(await dk("port", name), `80/tcp -> 127.0.0.1:${port}`);
      assert.match(await dk("ps", "--filter", `name=${name}`, "--format", "{{.Ports}}"), new RegExp(`127\\.0\\.0\\.1:${port}->80/tcp`));
      const ports = JSON.parse(await dk("inspect", "-f", "{{json .NetworkSettings.Ports}}", name));
      assert.deepEqual(ports["80/tcp"], [{ HostIp: "127.0.0.1", HostPort: String(port) }]);
      // The same host port again: Docker's bind error, the container does not start.
      const r = await run("docker", ["run", "-d", "-p", `127.0.0.1:${port}:80`, "busybox", "true"], { env: d.env });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /failed to bind host port for 127\.0\.0\.1:\d+:[\d.]+:80\/tcp: address already in use/);
    } finally {
      await dk("rm", "-f", name);
    }
  });

  it("-p 80 gets a random port that docker port reports, on IPv4 and IPv6 loopback", async () => {
    const name = uniqueName("rnd");
    let port = 0;
    await dk("run", "-d", "--name", name, "-p", "80", "busybox", ...httpdCmd("random-port"));
    try {
      const out = await dk("port", name, "80");
      const m = /0\.0\.0\.0:(\d+)/.exec(out);
      assert.ok(m, out);
      port = Number(m[1]);
      assert.ok(port >= 32768 && port <= 60999, out);
      assert.match(await waitFor("v4 answer", () => httpGet("127.0.0.1", port).then((b) => b.includes("random-port") && b)), /random-port/);
      if (out.includes("[::]")) assert.match(await httpGet("::1", port), /random-port/);
    } finally {
      await dk("rm", "-f", name);
    }
    // Removing the container closed the port.
    await assert.rejects(httpGet("127.0.0.1", port));
  });

  it("-P publishes exposed ports; udp ranges are accepted", async () => {
    const name = uniqueName("pub");
    await dk("run", "-d", "--name", name, "-P", "--expose", "8080", "-p", "127.0.0.1::9999/udp", "busybox", "sleep", "60");
    try {
      const out = await dk("port", name);
      assert.match(out, /8080\/tcp -> 0\.0\.0\.0:\d+/);
      assert.match(out, /9999\/udp -> 127\.0\.0\.1:\d+/);
    } finally {
      await dk("rm", "-f", name);
    }
  });
});

describe("published ports with --userland-proxy=false (kernel DNAT only)", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon(["--userland-proxy=false"]);
  });
  after(async () => d?.stop());

  it("serves 127.0.0.1 through DNAT", async () => {
    const dk = docker(d);
    const port = await freePort();
    const name = uniqueName("dnat");
    await dk("run", "-d", "--name", name, "-p", `127.0.0.1:${port}:80`, "busybox", ...httpdCmd("via-dnat"));
    try {
      assert.match(await waitFor("httpd via DNAT", () => httpGet("127.0.0.1", port).then((b) => b.includes("via-dnat") && b)), /via-dnat/);
    } finally {
      await dk("rm", "-f", name);
    }
  });
});
