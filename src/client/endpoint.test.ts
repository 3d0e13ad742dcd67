import assert from "node:assert/strict";
import { test } from "node:test";
import { currentContextName, normalizeClientHost, resolveEndpoint } from "./endpoint.js";
import { parseHost } from "./host.js";

test("context precedence: --context, -H, DOCKER_HOST, DOCKER_CONTEXT, config.json, default", () => {
  assert.equal(currentContextName({ context: "c" }, { DOCKER_HOST: "x", DOCKER_CONTEXT: "e" }, "cfg"), "c");
  assert.equal(currentContextName({ host: "h" }, { DOCKER_CONTEXT: "e" }, "cfg"), "default");
  assert.equal(currentContextName({}, { DOCKER_HOST: "x", DOCKER_CONTEXT: "e" }, "cfg"), "default");
  assert.equal(currentContextName({}, { DOCKER_CONTEXT: "e" }, "cfg"), "e");
  assert.equal(currentContextName({}, {}, "cfg"), "cfg");
  assert.equal(currentContextName({}, {}, undefined), "default");
  assert.throws(() => resolveEndpoint({ context: "c", host: "h" }, {}, "/nonexistent", undefined), /conflicting options: cannot specify both --host and --context/);
});

test("client host defaults as docker's opts.ParseHost; --tlsverify without -H means tcp://localhost:2376", () => {
  assert.equal(normalizeClientHost("tcp://1.2.3.4", false), "tcp://1.2.3.4:2375");
  assert.equal(normalizeClientHost("tcp://:9", false), "tcp://localhost:9");
  assert.equal(normalizeClientHost("", true), "tcp://localhost:2376");
  assert.equal(normalizeClientHost("ssh://u@h:22", false), "ssh://u@h:22");
  assert.throws(() => resolveEndpoint({ tlsverify: true, tlscacert: "/nonexistent/ca.pem" }, {}, "/nonexistent", undefined), /unable to resolve docker endpoint: open \/nonexistent\/ca\.pem: no such file or directory/);
});

test("ssh URLs follow docker's connhelper rules", () => {
  assert.deepEqual(parseHost("ssh://me@host:2222/run/w.sock"), { kind: "ssh", user: "me", hostname: "host", port: "2222", path: "/run/w.sock", raw: "ssh://me@host:2222/run/w.sock" });
  assert.throws(() => parseHost("ssh://me:pw@host"), /plain-text password is not supported/);
  assert.throws(() => parseHost("ssh://host?x=1"), /query parameters are not allowed/);
});
