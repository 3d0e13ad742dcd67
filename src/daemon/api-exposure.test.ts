import assert from "node:assert/strict";
import { test } from "node:test";
import { checkExposure, isLoopback, normalizeDaemonHost } from "./api-exposure.js";
import { resolveTls } from "./api-tls.js";

const env = { DOCKER_CERT_PATH: "/certs" };

test("dockerd's TLS rules: --tlsverify (even =false) turns TLS on; --tls alone verifies clients", () => {
  assert.equal(resolveTls({}, env).mode, "plain");
  assert.equal(resolveTls({ enabled: true }, env).mode, "mutual");
  assert.equal(resolveTls({ verify: true }, env).mode, "mutual");
  assert.equal(resolveTls({ verify: false }, env).mode, "tls");
  assert.equal(resolveTls({ enabled: true, verify: false }, env).mode, "tls");
  assert.equal(resolveTls({ enabled: false }, env).mode, "plain");
  assert.equal(resolveTls({ enabled: false }, env).explicitOptOut, true);
  assert.equal(resolveTls({}, env).explicitOptOut, false);
  assert.deepEqual([resolveTls({}, env).ca, resolveTls({}, env).cert, resolveTls({}, env).key], ["/certs/ca.pem", "/certs/cert.pem", "/certs/key.pem"]);
  assert.equal(resolveTls({}, { DOCKER_CONFIG: "/cfg" }).ca, "/cfg/ca.pem");
});

test("-H normalisation follows dockerd: tcp://:P is localhost, bare host:port is tcp", () => {
  assert.equal(normalizeDaemonHost("tcp://:2376", "/s.sock"), "tcp://localhost:2376");
  assert.equal(normalizeDaemonHost("tcp://0.0.0.0", "/s.sock"), "tcp://0.0.0.0:2375");
  assert.equal(normalizeDaemonHost("127.0.0.1:9", "/s.sock"), "tcp://127.0.0.1:9");
  assert.equal(normalizeDaemonHost("unix://", "/s.sock"), "unix:///s.sock");
  assert.equal(normalizeDaemonHost("tcp://[::1]:5", "/s.sock"), "tcp://[::1]:5");
  assert.throws(() => normalizeDaemonHost("ftp://x", "/s.sock"), /unsupported proto 'ftp'/);
  assert.throws(() => normalizeDaemonHost("tcp://h:0", "/s.sock"), /invalid port/);
});

test("loopback as Go sees it", async () => {
  for (const h of ["127.0.0.1", "127.9.9.9", "::1", "localhost", "::ffff:127.0.0.1"]) assert.equal(await isLoopback(h), true, h);
  for (const h of ["0.0.0.0", "10.1.2.3", "::", "198.18.0.1"]) assert.equal(await isLoopback(h), false, h);
});

test("unauthenticated tcp: loopback warns, elsewhere refused unless opted out explicitly", async () => {
  const plain = resolveTls({}, env);
  assert.equal((await checkExposure(["tcp://127.0.0.1:2375", "unix:///s"], plain)).length, 3);
  await assert.rejects(checkExposure(["tcp://0.0.0.0:2375"], plain), /refusing to serve the API on tcp:\/\/0\.0\.0\.0:2375 without TLS.*--tls=false/);
  assert.equal((await checkExposure(["tcp://0.0.0.0:2375"], resolveTls({ enabled: false }, env))).length, 3);
  assert.equal((await checkExposure(["tcp://0.0.0.0:2376"], resolveTls({ verify: false }, env))).length, 3);
  assert.deepEqual(await checkExposure(["tcp://0.0.0.0:2376"], resolveTls({ verify: true }, env)), []);
});
