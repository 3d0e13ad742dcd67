import assert from "node:assert/strict";
import { test } from "node:test";
import { Registry } from "prom-client";
import { isLoopback, serveMetrics } from "./metrics-server.js";

test("loopback addresses need no warning; others do", () => {
  for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1"]) assert.equal(isLoopback(h), true, h);
  for (const h of ["0.0.0.0", "", "::", "10.0.0.5", "192.168.1.2"]) assert.equal(isLoopback(h), false, h);
});

test("serves /metrics on the given address (port 0 picks one) and refuses bad addresses", async () => {
  const l = await serveMetrics("127.0.0.1:0", new Registry());
  try {
    assert.match(l.address, /^127\.0\.0\.1:\d+$/);
    assert.equal((await fetch(`http://${l.address}/metrics`)).status, 200);
    assert.equal((await fetch(`http://${l.address}/`)).status, 404);
  } finally {
    await l.close();
  }
  await assert.rejects(serveMetrics("nonsense", new Registry()), /invalid metrics-addr nonsense/);
});
