import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, ConnectionError } from "./api-error.js";
import { EngineClient, encodeFilters, minVersion } from "./engine-client.js";
import { parseHost } from "./host.js";
import { StdcopyDemuxer, demuxStream, encodeFrame } from "./stdcopy.js";
import { startFakeEngine } from "./testing/fake-engine.js";

test("hosts: unix, tcp, bare host:port", () => {
  assert.deepEqual(parseHost("unix:///run/x.sock"), { kind: "unix", socketPath: "/run/x.sock", raw: "unix:///run/x.sock" });
  assert.deepEqual(parseHost("tcp://127.0.0.1:2375"), { kind: "tcp", hostname: "127.0.0.1", port: 2375, raw: "tcp://127.0.0.1:2375" });
  assert.equal((parseHost("tcp://[::1]:2376") as { hostname: string }).hostname, "::1");
  assert.equal((parseHost("localhost") as { port: number }).port, 2375);
});

test("version negotiation takes min(server, 1.50) and prefixes paths", async () => {
  const engine = await startFakeEngine({ apiVersion: "1.47", containers: [] });
  try {
    const client = new EngineClient({ host: parseHost(engine.host) });
    assert.deepEqual(await client.containerList({ all: true }), []);
    assert.equal(await client.apiVersion(), "1.47");
    assert.ok(engine.requests.includes("GET /v1.47/containers/json?all=1"), engine.requests.join("\n"));
    const pinned = new EngineClient({ host: parseHost(engine.host), apiVersion: "1.41" });
    await pinned.containerList({});
    assert.ok(engine.requests.includes("GET /v1.41/containers/json"));
    client.close();
    pinned.close();
  } finally {
    await engine.close();
  }
  assert.equal(minVersion("1.51", "1.50"), "1.50");
  assert.equal(minVersion("1.9", "1.50"), "1.9");
});

test("daemon errors become ApiError with the daemon's message; no daemon → ConnectionError", async () => {
  const engine = await startFakeEngine({});
  try {
    const client = new EngineClient({ host: parseHost(engine.host) });
    await assert.rejects(client.containerInspect("nope"), (e: unknown) => e instanceof ApiError && e.statusCode === 404 && e.message === "page not found");
    client.close();
  } finally {
    await engine.close();
  }
  const gone = new EngineClient({ host: parseHost("unix:///nonexistent/wharf-test.sock") });
  await assert.rejects(gone.negotiate(), ConnectionError);
});

test("hijacked attach carries stdcopy frames; stdin half-close is seen by the peer", async () => {
  const engine = await startFakeEngine({ run: { id: "c1", output: [], exitCode: 0, echoStdin: true } });
  try {
    const client = new EngineClient({ host: parseHost(engine.host) });
    const socket = await client.containerAttach("c1", { stdin: true, stdout: true, stderr: true });
    const out: Buffer[] = [];
    const done = demuxStream(socket, { stdout: (c) => out.push(c), stderr: () => assert.fail("no stderr expected") });
    socket.write("hello\n");
    socket.end();
    await done;
    assert.equal(Buffer.concat(out).toString(), "hello\n");
    client.close();
  } finally {
    await engine.close();
  }
});

test("stdcopy demuxer handles frames split across chunks", () => {
  const got: string[] = [];
  const d = new StdcopyDemuxer({ stdout: (c) => got.push(`1:${c}`), stderr: (c) => got.push(`2:${c}`) });
  const bytes = Buffer.concat([encodeFrame(1, Buffer.from("out")), encodeFrame(2, Buffer.from("err")), encodeFrame(1, Buffer.alloc(0))]);
  for (let i = 0; i < bytes.length; i += 3) d.push(bytes.subarray(i, i + 3));
  assert.deepEqual(got, ["1:out", "2:err", "1:"]);
});

test("filters encode as docker's map form", () => {
  assert.equal(encodeFilters(new Map([["label", ["a=b", "c"]]])), '{"label":{"a=b":true,"c":true}}');
  assert.equal(encodeFilters(new Map()), undefined);
});
