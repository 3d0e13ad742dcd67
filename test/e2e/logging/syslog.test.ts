import assert from "node:assert/strict";
import net from "node:net";
import os from "node:os";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { freePort, Rsyslog } from "../../helpers/receivers.js";
import { makeTestCerts, type TestCerts } from "../../helpers/certs.js";

/** The syslog driver against Debian's rsyslogd on loopback and unix sockets, through the docker CLI. */
describe("syslog log driver", () => {
  let d: TestDaemon;
  let rs: Rsyslog;
  let certs: TestCerts;
  const dk = (args: string[], timeoutMs = 120_000) => run("docker", args, { env: d.env, timeoutMs });

  before(async () => {
    certs = await makeTestCerts(`/tmp/wharf-syslog-certs-${uniqueName("c")}`);
    rs = new Rsyslog({ ca: certs.ca, cert: certs.serverCert, key: certs.serverKey });
    await rs.start();
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
    await rs?.stop();
    if (certs) await fs.rm(certs.dir, { recursive: true, force: true });
  });

  const received = (marker: string, n = 1) =>
    waitFor(`${n} message(s) with ${marker} at rsyslog`, async () => {
      const m = (await rs.messages()).filter((x) => x[6].includes(marker));
      return m.length >= n ? m : undefined;
    }, 30_000, 100);

  test("udp, default format: tag template, daemon.info for stdout, daemon.err for stderr; docker logs reads the cache", async () => {
    const name = uniqueName("udp");
    const r = await dk(["run", "--name", name, "--log-driver", "syslog", "--log-opt", `syslog-address=udp://127.0.0.1:${rs.udpPort}`,
      "--log-opt", "tag={{.Name}}/{{.ImageName}}", "busybox", "sh", "-c", `echo out-${name}; echo err-${name} >&2`]);
    assert.equal(r.code, 0, r.stderr);
    try {
      const [out] = await received(`out-${name}`);
      const [err] = await received(`err-${name}`);
      assert.equal(out[0], "30"); // daemon(3) * 8 + info(6)
      assert.equal(err[0], "27"); // daemon(3) * 8 + err(3)
      assert.equal(out[5], `${name}/busybox[${d.proc!.pid}]:`);
      assert.equal(out[6], `out-${name}`);
      const logs = await dk(["logs", name]);
      assert.equal(logs.stdout, `out-${name}\n`);
      assert.equal(logs.stderr, `err-${name}\n`);
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  test("tcp rfc5424 with facility local3, unixgram rfc3164 and unix rfc5424micro", async () => {
    const cases: Array<[string, string[], (m: string[]) => void]> = [
      [`tcp://127.0.0.1:${rs.tcpPort}`, ["--log-opt", "syslog-format=rfc5424", "--log-opt", "syslog-facility=local3"], (m) => {
        assert.equal(m[0], "158"); // local3(19) * 8 + info
        assert.equal(m[2], os.hostname());
        assert.match(m[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      }],
      [`unixgram://${rs.dgramSocket}`, ["--log-opt", "syslog-format=rfc3164"], (m) => assert.equal(m[2], os.hostname())],
      [`unix://${rs.streamSocket}`, ["--log-opt", "syslog-format=rfc5424micro"], (m) => assert.match(m[1], /\.\d{6}/)],
    ];
    for (const [address, opts, check] of cases) {
      const name = uniqueName("sys");
      const r = await dk(["run", "--rm", "--name", name, "--log-driver", "syslog", "--log-opt", `syslog-address=${address}`, ...opts, "busybox", "echo", `hello-${name}`]);
      assert.equal(r.code, 0, `${address}: ${r.stderr}`);
      const [m] = await received(`hello-${name}`);
      assert.match(m[5], /^[0-9a-f]{12}(\[\d+\]:?)?$/, `${address}: the default tag is the short ID`);
      assert.equal(m[6], `hello-${name}`, address);
      check(m);
    }
  });

  test("tcp+tls rfc5424 (octet counting) verified against the CA; a receiver the CA did not sign fails the start", async () => {
    const name = uniqueName("tls");
    const r = await dk(["run", "--rm", "--name", name, "--log-driver", "syslog", "--log-opt", `syslog-address=tcp+tls://127.0.0.1:${rs.tlsPort}`,
      "--log-opt", "syslog-format=rfc5424", "--log-opt", `syslog-tls-ca-cert=${certs.ca}`, "--log-opt", "tag={{.Name}}", "busybox", "sh", "-c", `echo one-${name}; echo two-${name}`]);
    assert.equal(r.code, 0, r.stderr);
    const [one] = await received(`one-${name}`);
    const [two] = await received(`two-${name}`);
    assert.equal(one[3], name, "rfc5424 APP-NAME is the tag");
    assert.equal(two[6], `two-${name}`, "octet counting keeps messages apart");

    const bad = await dk(["run", "--rm", "--log-driver", "syslog", "--log-opt", `syslog-address=tcp+tls://127.0.0.1:${rs.tlsPort}`,
      "--log-opt", `syslog-tls-ca-cert=${certs.otherCa}`, "busybox", "true"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /failed to initialize logging driver: .*certificate/);
  });

  test("nothing listening on a tcp address fails the start, as dockerd", async () => {
    const port = await freePort();
    const r = await dk(["run", "--rm", "--log-driver", "syslog", "--log-opt", `syslog-address=tcp://127.0.0.1:${port}`, "busybox", "true"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /failed to initialize logging driver: dial tcp 127\.0\.0\.1:\d+: connect: connection refused/);
  });

  test("a stalled tcp receiver: non-blocking never holds the container back (and drops); blocking waits and then delivers everything", async () => {
    // Receivers that accept and never read: the kernel's buffers fill, then writes stall.
    const stalled = async () => {
      const held: net.Socket[] = [];
      const server = net.createServer({ pauseOnConnect: true }, (s) => held.push(s));
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      return { server, held, port: (server.address() as net.AddressInfo).port };
    };
    const a = await stalled();
    const b = await stalled();
    const LINES = 50_000; // 400-byte lines: 20 MB, far beyond the socket buffers
    const script = `awk 'BEGIN { pad = sprintf("%390s", ""); gsub(/ /, "x", pad); for (i = 1; i <= ${LINES}; i++) printf "%08d %s\\n", i, pad }'`;
    const opts = (port: number) => ["--log-driver", "syslog", "--log-opt", `syslog-address=tcp://127.0.0.1:${port}`, "--log-opt", "cache-max-size=30m"];
    const fast = uniqueName("nonblock");
    const slow = uniqueName("block");
    try {
      assert.equal((await dk(["run", "-d", "--name", slow, ...opts(a.port), "busybox", "sh", "-c", script])).code, 0);
      const nb = await dk(["run", "--name", fast, ...opts(b.port), "--log-opt", "mode=non-blocking", "--log-opt", "max-buffer-size=1m", "busybox", "sh", "-c", script], 120_000);
      assert.equal(nb.code, 0, nb.stderr);
      assert.equal((await dk(["inspect", "-f", "{{.State.Status}}", fast])).stdout, "exited\n", "the non-blocking container ran to its end");
      assert.equal((await dk(["logs", "--tail", "1", fast])).stdout.slice(0, 8), "00050000", "and its cache has every line");
      // The blocking one is held back: its output stops growing far below the end while the receiver stalls.
      const count = async () => (await dk(["logs", "--tail", "1", slow])).stdout.slice(0, 8);
      const c1 = await count();
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await count(), c1, "no progress while the receiver stalls");
      assert.ok(Number(c1) < LINES, `blocked at ${c1}`);
      assert.equal((await dk(["inspect", "-f", "{{.State.Running}}", slow])).stdout, "true\n");
      // The receiver reads again: the blocking container finishes and every line arrives, in order.
      let data = "";
      const read = (s: net.Socket) => {
        s.on("data", (buf) => (data += buf.toString("latin1")));
        s.resume();
      };
      a.held.forEach(read);
      a.server.on("connection", read);
      assert.equal((await dk(["wait", slow], 180_000)).stdout, "0\n");
      const got = await waitFor("every line of the blocking container", () => {
        const nums = [...data.matchAll(/: (\d{8}) x/g)].map((m) => Number(m[1]));
        return nums.length >= LINES ? nums : undefined;
      }, 120_000, 200);
      assert.equal(got.length, LINES);
      assert.ok(got.every((n, i) => n === i + 1), "in order, none missing");
    } finally {
      await dk(["rm", "-f", fast, slow]);
      for (const x of [a, b]) {
        for (const s of x.held) s.destroy();
        x.server.close();
      }
    }
  });
});
