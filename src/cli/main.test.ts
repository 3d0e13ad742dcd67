import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startFakeEngine } from "../client/testing/fake-engine.js";

const WHARF = fileURLToPath(new URL("../../../bin/wharf", import.meta.url));

function wharf(args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WHARF, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test("run: attach before start, stdout/stderr kept apart, exit code, warnings", async () => {
  const engine = await startFakeEngine({ run: { id: "abc123", output: [[1, "to stdout\n"], [2, "to stderr\n"]], exitCode: 3 } });
  try {
    const r = await wharf(["run", "--rm", "busybox", "sh", "-c", "x"], { DOCKER_HOST: engine.host });
    assert.equal(r.stdout, "to stdout\n");
    assert.equal(r.stderr, "WARNING: something to note\nto stderr\n");
    assert.equal(r.code, 3);
    const order = engine.requests.map((q) => q.replace(/\?.*/, ""));
    const attach = order.indexOf("UPGRADE POST /containers/abc123/attach");
    const wait = order.indexOf("POST /v1.50/containers/abc123/wait");
    const start = order.indexOf("POST /v1.50/containers/abc123/start");
    assert.ok(attach >= 0 && wait >= 0 && attach < start && wait < start, order.join("\n"));
    assert.ok(engine.requests.some((q) => q.includes("/wait?condition=removed")));
  } finally {
    await engine.close();
  }
});

test("run -i forwards stdin and half-closes it", async () => {
  const engine = await startFakeEngine({ run: { id: "cat1", output: [], exitCode: 0, echoStdin: true } });
  try {
    const r = await wharf(["run", "-i", "busybox", "cat"], { DOCKER_HOST: engine.host }, "line one\nline two\n");
    assert.equal(r.stdout, "line one\nline two\n");
    assert.equal(r.code, 0);
  } finally {
    await engine.close();
  }
});

test("run errors: docker's prefix, hint and exit 125; flag errors 125; daemon errors exit 1", async () => {
  const engine = await startFakeEngine({ run: { id: "x", output: [], exitCode: 0 } });
  try {
    const conflict = await wharf(["run", "--name", "taken", "busybox"], { DOCKER_HOST: engine.host });
    assert.equal(conflict.code, 125);
    assert.equal(conflict.stderr, "wharf: Error response from daemon: Conflict. The container name \"/taken\" is already in use\n\nRun 'wharf run --help' for more information\n");
    const flag = await wharf(["ps", "--foo"], { DOCKER_HOST: engine.host });
    assert.equal(flag.code, 125);
    assert.equal(flag.stderr, "unknown flag: --foo\n\nUsage:  wharf ps [OPTIONS]\n\nRun 'wharf ps --help' for more information\n");
    const missing = await wharf(["inspect", "nope"], { DOCKER_HOST: engine.host });
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, "[]\n");
    assert.equal(missing.stderr, "Error: No such object: nope\n");
  } finally {
    await engine.close();
  }
});

test("explicit host with nothing listening: docker's connection error, no auto-start", async () => {
  const r = await wharf(["ps"], { DOCKER_HOST: "unix:///nonexistent/wharf-cli-test.sock" });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "Cannot connect to the Docker daemon at unix:///nonexistent/wharf-cli-test.sock. Is the docker daemon running?\n");
});
