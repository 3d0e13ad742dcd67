import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import os from "node:os";
import { gunzipSync, inflateSync } from "node:zlib";
import { addExtension, unpackMultiple } from "msgpackr";
import { after, before, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { freePort } from "../../helpers/receivers.js";

// Fluentd's EventTime (ext 0) decoded by msgpackr, not by wharf's encoder.
addExtension({ type: 0, unpack: (b: Buffer) => ({ sec: b.readUInt32BE(0), nsec: b.readUInt32BE(4) }) });

/** A fluentd forward-protocol receiver: every [tag, time, record] event, acks when asked. */
async function fluentReceiver() {
  const events: Array<{ tag: string; time: unknown; record: Record<string, string> }> = [];
  const server = net.createServer((s) => {
    let pending = Buffer.alloc(0);
    const messages = (chunk: Buffer): unknown[][] => {
      pending = Buffer.concat([pending, chunk]);
      try {
        const all = unpackMultiple(pending) as unknown[][];
        pending = Buffer.alloc(0);
        return all;
      } catch {
        return []; // an incomplete message: wait for the rest
      }
    };
    s.on("data", (chunk: Buffer) => messages(chunk).forEach(onMessage));
    const onMessage = (msg: unknown[]) => {
      const [tag, second, third, fourth] = msg as [string, unknown, unknown, unknown];
      let option: Record<string, unknown> | undefined;
      if (Array.isArray(second)) {
        for (const [time, record] of second as Array<[unknown, Record<string, string>]>) events.push({ tag, time, record });
        option = third as Record<string, unknown>;
      } else {
        events.push({ tag, time: second, record: third as Record<string, string> });
        option = fourth as Record<string, unknown>;
      }
      if (option?.chunk) s.write(Buffer.from([0x81, 0xa3, 0x61, 0x63, 0x6b, 0xd9, String(option.chunk).length, ...Buffer.from(String(option.chunk))]));
    };
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { events, server, port: (server.address() as net.AddressInfo).port };
}

/** GELF over UDP: chunks reassembled, gzip/zlib/plain decoded, JSON parsed (independent of wharf's sender). */
async function gelfUdpReceiver() {
  const messages: Array<Record<string, unknown>> = [];
  const parts = new Map<string, Buffer[]>();
  const sock = dgram.createSocket("udp4");
  const decode = (b: Buffer) => (b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b[0] === 0x78 ? inflateSync(b) : b);
  sock.on("message", (b) => {
    if (b[0] === 0x1e && b[1] === 0x0f) {
      const id = b.subarray(2, 10).toString("hex");
      const list = parts.get(id) ?? new Array<Buffer>(b[11]);
      list[b[10]] = b.subarray(12);
      parts.set(id, list);
      if (list.filter(Boolean).length === b[11]) messages.push(JSON.parse(decode(Buffer.concat(list)).toString()));
      return;
    }
    messages.push(JSON.parse(decode(b).toString()));
  });
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  return { messages, sock, port: sock.address().port };
}

describe("fluentd and gelf log drivers", () => {
  let d: TestDaemon;
  const dk = (args: string[], timeoutMs = 120_000) => run("docker", args, { env: d.env, timeoutMs });

  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("fluentd: forward protocol with dockerd's record, sub-second time, request-ack; unreachable fluentd fails the start unless async", async () => {
    const f = await fluentReceiver();
    const name = uniqueName("fl");
    try {
      const r = await dk(["run", "--name", name, "-e", "APP=demo", "--log-driver", "fluentd", "--log-opt", `fluentd-address=127.0.0.1:${f.port}`,
        "--log-opt", "tag=docker.{{.Name}}", "--log-opt", "env=APP", "--log-opt", "fluentd-sub-second-precision=true", "--log-opt", "fluentd-request-ack=true",
        "busybox", "sh", "-c", "echo hello; echo oops >&2"]);
      assert.equal(r.code, 0, r.stderr);
      await waitFor("2 events", () => f.events.length >= 2);
      const id = (await dk(["inspect", "-f", "{{.Id}}", name])).stdout.trim();
      const out = f.events.find((e) => e.record.source === "stdout")!;
      assert.equal(out.tag, `docker.${name}`);
      assert.deepEqual(out.record, { container_id: id, container_name: `/${name}`, source: "stdout", log: "hello", APP: "demo" });
      assert.equal(f.events.find((e) => e.record.source === "stderr")!.record.log, "oops");
      assert.ok(Math.abs((out.time as { sec: number }).sec - Date.now() / 1000) < 120, JSON.stringify(out.time));
      assert.equal((await dk(["logs", name])).stdout, "hello\n");
    } finally {
      await dk(["rm", "-f", name]);
      f.server.close();
    }
    const port = await freePort();
    const down = await dk(["run", "--rm", "--log-driver", "fluentd", "--log-opt", `fluentd-address=127.0.0.1:${port}`, "busybox", "true"]);
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, /failed to initialize logging driver: dial tcp 127\.0\.0\.1:\d+: connect: connection refused/);
    const async = await dk(["run", "--rm", "--log-driver", "fluentd", "--log-opt", `fluentd-address=127.0.0.1:${port}`, "--log-opt", "fluentd-async=true", "busybox", "echo", "x"]);
    assert.equal(async.code, 0, async.stderr);
  });

  test("gelf over udp (gzip, zlib, none; chunked) and tcp, with dockerd's fields", async () => {
    const g = await gelfUdpReceiver();
    try {
      for (const type of ["gzip", "zlib", "none"]) {
        const name = uniqueName(`gelf-${type}`);
        const big = "y".repeat(5000); // several 1420-byte chunks without compression
        const r = await dk(["run", "--rm", "--name", name, "-l", "svc=api", "--log-driver", "gelf", "--log-opt", `gelf-address=udp://127.0.0.1:${g.port}`,
          "--log-opt", `gelf-compression-type=${type}`, "--log-opt", "labels=svc", "busybox", "sh", "-c", `echo hi-${name}; echo ${big} >&2`]);
        assert.equal(r.code, 0, r.stderr);
        const m = await waitFor(`the gelf messages of ${name}`, () => {
          const mine = g.messages.filter((x) => x._container_name === name);
          return mine.length >= 2 ? mine : undefined;
        });
        const hi = m.find((x) => x.short_message === `hi-${name}`)!;
        assert.equal(hi.version, "1.1");
        assert.equal(hi.host, os.hostname());
        assert.equal(hi.level, 6);
        assert.equal(hi._image_name, "busybox");
        assert.equal(hi._svc, "api");
        assert.match(String(hi._tag), /^[0-9a-f]{12}$/);
        assert.equal(typeof hi.timestamp, "number");
        const err = m.find((x) => x.level === 3)!;
        assert.equal(err.short_message, big);
      }
    } finally {
      g.sock.close();
    }
    const got: string[] = [];
    const tcp = net.createServer((s) => {
      let buf = "";
      s.on("data", (b) => {
        buf += b.toString();
        const parts = buf.split("\0");
        buf = parts.pop()!;
        got.push(...parts);
      });
    });
    await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
    try {
      const r = await dk(["run", "--rm", "--log-driver", "gelf", "--log-opt", `gelf-address=tcp://127.0.0.1:${(tcp.address() as net.AddressInfo).port}`, "busybox", "echo", "over-tcp"]);
      assert.equal(r.code, 0, r.stderr);
      await waitFor("the tcp gelf message", () => got.some((x) => JSON.parse(x).short_message === "over-tcp"));
    } finally {
      tcp.close();
    }
  });
  test("run --rm: everything the container wrote reaches the receiver before the container is removed", async () => {
    let lines = 0;
    let last = "";
    const tcp = net.createServer((s) => {
      let buf = "";
      s.on("data", (b) => {
        buf += b.toString();
        const parts = buf.split("\0");
        buf = parts.pop()!;
        for (const p of parts) {
          lines++;
          last = JSON.parse(p).short_message;
        }
      });
    });
    await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
    try {
      const n = 20000; // more than the forwarder sends before `--rm` removes the container
      const r = await dk(["run", "--rm", "--log-driver", "gelf", "--log-opt", `gelf-address=tcp://127.0.0.1:${(tcp.address() as net.AddressInfo).port}`, "busybox", "seq", "1", String(n)]);
      assert.equal(r.code, 0, r.stderr);
      // The CLI returned after the removal: from here on nothing more may arrive, so everything must be there.
      await waitFor(`all ${n} lines over tcp`, () => lines >= n, 5_000);
      assert.equal(lines, n);
      assert.equal(last, String(n));
    } finally {
      tcp.close();
    }
  });
});
