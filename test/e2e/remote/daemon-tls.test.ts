import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import net from "node:net";
import tls from "node:tls";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, WHARF, type TestDaemon } from "../../helpers/daemon.js";
import { makeTestCerts, type TestCerts } from "../../helpers/certs.js";
import { freePort, isListening } from "../../helpers/ports.js";

/**
 * Issue 18: `--tlsverify` serves mutual TLS on tcp (it used to serve plain
 * HTTP), good clients get in through the docker CLI, everybody else is turned
 * away during the handshake, and the daemon will not start on unusable files.
 */

let certs: TestCerts;
const certDir = `/tmp/wharf-tls-${uniqueName("c")}`;

/** One HTTP request over a raw TLS connection; resolves with whatever came back before close. */
function rawTls(port: number, opts: tls.ConnectionOptions): Promise<{ data: string; error?: string }> {
  return new Promise((resolve) => {
    let data = "";
    let error: string | undefined;
    const s = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ...opts }, () => s.write("GET /_ping HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    s.setTimeout(10_000, () => s.destroy(new Error("timeout")));
    s.on("data", (d) => (data += d));
    s.on("error", (e) => (error = e.message));
    s.on("close", () => resolve({ data, error }));
  });
}

before(async () => {
  certs = await makeTestCerts(certDir);
});
after(async () => fs.rm(certDir, { recursive: true, force: true }));

describe("daemon with --tlsverify on tcp", () => {
  let d: TestDaemon;
  let port: number;
  let tcp: string;
  const dk = (args: string[], env: Record<string, string> = {}) => run("docker", args, { env: { DOCKER_CONFIG: d.env.DOCKER_CONFIG!, ...env }, timeoutMs: 60_000 });
  const goodFlags = () => ["--tlsverify", "--tlscacert", certs.ca, "--tlscert", certs.clientCert, "--tlskey", certs.clientKey, "-H", tcp];

  before(async () => {
    port = await freePort();
    tcp = `tcp://127.0.0.1:${port}`;
    d = await startTestDaemon(["-H", tcp, "--tlsverify", "--tlscacert", certs.ca, "--tlscert", certs.serverCert, "--tlskey", certs.serverKey, "--debug"]);
  });
  after(async () => d?.stop());

  test("the docker CLI with a client certificate from the CA gets in, including a hijacked run", async () => {
    const v = await dk([...goodFlags(), "version", "-f", "{{.Server.APIVersion}}"]);
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout, "1.50\n");
    const r = await dk([...goodFlags(), "run", "--rm", "busybox", "echo", "over mutual tls"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "over mutual tls\n");
  });

  test("docker exec -i over TLS: stdin after an upgrade body read separately still reaches the process", async () => {
    const name = uniqueName("tlsexec");
    const r0 = await dk([...goodFlags(), "run", "-d", "--name", name, "busybox", "sleep", "60"]);
    assert.equal(r0.code, 0, r0.stderr);
    try {
      const r = await run("docker", [...goodFlags(), "exec", "-i", name, "cat"], { env: { DOCKER_CONFIG: d.env.DOCKER_CONFIG! }, input: "through the tunnel\n", timeoutMs: 30_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "through the tunnel\n");
    } finally {
      await dk([...goodFlags(), "rm", "-f", name]);
    }
  });

  test("DOCKER_TLS_VERIFY + DOCKER_CERT_PATH + DOCKER_HOST work for the docker CLI", async () => {
    const r = await dk(["ps", "-a", "--format", "{{.ID}}"], { DOCKER_HOST: tcp, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs.clientDir });
    assert.equal(r.code, 0, r.stderr);
  });

  test("no certificate, another CA's certificate, an expired certificate: refused in the handshake", async () => {
    const cases: Array<[string, tls.ConnectionOptions]> = [
      ["no client certificate", { ca: await fs.readFile(certs.ca) }],
      ["other CA", { ca: await fs.readFile(certs.ca), cert: await fs.readFile(certs.otherClientCert), key: await fs.readFile(certs.otherClientKey) }],
      ["expired", { ca: await fs.readFile(certs.ca), cert: await fs.readFile(certs.expiredClientCert), key: await fs.readFile(certs.expiredClientKey) }],
    ];
    for (const [name, opts] of cases) {
      const r = await rawTls(port, opts);
      // closed during or right after the handshake: no HTTP byte ever comes back
      assert.equal(r.data, "", `${name}: got an answer: ${r.data}`);
    }
    // the good certificate over the same raw path does get an answer (the harness itself works)
    const good = await rawTls(port, { ca: await fs.readFile(certs.ca), cert: await fs.readFile(certs.clientCert), key: await fs.readFile(certs.clientKey) });
    assert.match(good.data, /^HTTP\/1\.1 200 OK/);
  });

  test("the docker CLI with another CA's or an expired certificate fails with a TLS error", async () => {
    for (const [cert, key] of [[certs.otherClientCert, certs.otherClientKey], [certs.expiredClientCert, certs.expiredClientKey]]) {
      const r = await dk(["--tlsverify", "--tlscacert", certs.ca, "--tlscert", cert!, "--tlskey", key!, "-H", tcp, "version", "-f", "{{.Server.APIVersion}}"]);
      assert.notEqual(r.code, 0);
      assert.equal(r.stdout.trim(), "");
      assert.match(r.stderr, /tls|certificate|EOF|connection reset/i, r.stderr);
    }
  });

  test("plain HTTP to the TLS port gets nothing usable", async () => {
    const answer = await new Promise<string>((resolve) => {
      let data = "";
      const s = net.connect(port, "127.0.0.1", () => s.write("GET /_ping HTTP/1.1\r\nHost: localhost\r\n\r\n"));
      s.setTimeout(10_000, () => s.destroy());
      s.on("data", (c) => (data += c.toString("latin1")));
      s.on("error", () => undefined);
      s.on("close", () => resolve(data));
    });
    assert.doesNotMatch(answer, /HTTP\/1\.[01] 200|Api-Version|OK$/i, answer);
    const curl = await run("curl", ["-sS", "--max-time", "10", `http://127.0.0.1:${port}/version`]);
    assert.notEqual(curl.code, 0);
    assert.doesNotMatch(curl.stdout, /ApiVersion/);
  });

  test("each request's client identity is logged at debug level: certificate subject or unix socket uid", async () => {
    await dk([...goodFlags(), "ps"]);
    await run("docker", ["ps"], { env: d.env });
    const log = await waitFor("identity lines in the daemon log", async () => {
      const text = await fs.readFile(d.logFile, "utf8");
      return /client="tls client \\"CN=good-client,O=wharf tests\\"/.test(text) && /client="unix socket uid 0 /.test(text) && text;
    });
    assert.match(log, /level=debug msg="TLS handshake refused"/);
  });

  test("docker info shows no API exposure warning for a mutual-TLS listener", async () => {
    const r = await dk([...goodFlags(), "info", "-f", "{{json .Warnings}}"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "null");
  });
});

describe("the daemon refuses to start", () => {
  const emptyCertPath = `${certDir}-empty`;
  before(() => fs.mkdir(emptyCertPath, { recursive: true }));
  after(() => fs.rm(emptyCertPath, { recursive: true, force: true }));

  /** Start `wharf daemon` with private paths; it must exit non-zero without ever listening. */
  async function refused(args: string[], port: number): Promise<string> {
    const id = uniqueName("r");
    const base = `/tmp/wharf-refuse-${id}`;
    try {
      const r = await run(process.execPath, [WHARF, "daemon", "--data-root", `${base}/root`, "--exec-root", `/run/${id}`, "--pidfile", `${base}/pid`, "--bridge", `wr${id.slice(2, 10)}`, ...args], {
        env: { DOCKER_CERT_PATH: emptyCertPath },
        timeoutMs: 30_000,
      });
      assert.equal(r.signal, null, `the daemon started (killed after the timeout): ${r.stderr}`);
      assert.notEqual(r.code, 0, r.stderr);
      assert.equal(await isListening(port), false);
      return r.stderr;
    } finally {
      await fs.rm(base, { recursive: true, force: true });
      await fs.rm(`/run/${id}`, { recursive: true, force: true });
    }
  }

  test("--tlsverify with a CA file that does not exist (the old defect: it served plain HTTP)", async () => {
    const port = await freePort();
    const err = await refused(["-H", `tcp://127.0.0.1:${port}`, "--tlsverify", "--tlscacert", "/nonexistent/ca.pem", "--tlscert", certs.serverCert, "--tlskey", certs.serverKey], port);
    assert.match(err, /\/nonexistent\/ca\.pem/);
    // and with no files at all: the default cert path is named
    const err2 = await refused(["-H", `tcp://127.0.0.1:${port}`, "--tlsverify", "--tlscacert", "/nonexistent"], port);
    assert.match(err2, new RegExp(`${emptyCertPath}/cert\\.pem`));
  });

  test("a key that does not match the certificate", async () => {
    const port = await freePort();
    const err = await refused(["-H", `tcp://127.0.0.1:${port}`, "--tlsverify", "--tlscacert", certs.ca, "--tlscert", certs.serverCert, "--tlskey", certs.clientKey], port);
    assert.match(err, /does not match/);
    assert.ok(err.includes(certs.clientKey) && err.includes(certs.serverCert), err);
  });

  test("an expired server certificate", async () => {
    const port = await freePort();
    const err = await refused(["-H", `tcp://127.0.0.1:${port}`, "--tlsverify", "--tlscacert", certs.ca, "--tlscert", certs.expiredServerCert, "--tlskey", certs.expiredServerKey], port);
    assert.match(err, /expired/);
    assert.ok(err.includes(certs.expiredServerCert), err);
  });

  test("plain tcp on a non-loopback address without --tls=false", async () => {
    const port = await freePort("0.0.0.0");
    const err = await refused(["-H", `tcp://0.0.0.0:${port}`], port);
    assert.match(err, /refusing to serve the API on tcp:\/\/0\.0\.0\.0:\d+ without TLS/);
    assert.match(err, /--tls=false/);
    // daemon.json "tlsverify": false is not an opt-out for a missing cert: TLS is on, files are needed
    const conf = `${emptyCertPath}/daemon.json`;
    await fs.writeFile(conf, JSON.stringify({ tlsverify: false }));
    const err2 = await refused(["-H", `tcp://0.0.0.0:${port}`, "--config-file", conf], port);
    assert.match(err2, /cert\.pem/);
  });
});

describe("explicit opt-out and loopback plain tcp", () => {
  const bridge = `wtls${uniqueName("").slice(1, 7)}`;
  const addr = `198.18.${Math.floor(Math.random() * 200) + 20}.${Math.floor(Math.random() * 200) + 20}`;
  let d: TestDaemon;
  let loop: string;
  let exposed: string;

  before(async () => {
    // A non-loopback address only this host has: on a bridge of our own with no ports.
    await run("ip", ["link", "add", bridge, "type", "bridge"]);
    await run("ip", ["addr", "add", `${addr}/32`, "dev", bridge]);
    await run("ip", ["link", "set", bridge, "up"]);
    loop = `tcp://127.0.0.1:${await freePort()}`;
    exposed = `tcp://${addr}:${await freePort()}`;
    d = await startTestDaemon(["-H", loop, "-H", exposed, "--tls=false"]);
  });
  after(async () => {
    await d?.stop();
    await run("ip", ["link", "del", bridge]);
  });

  test("--tls=false lets a non-loopback address serve plain HTTP, with dockerd's warnings in the log and in docker info", async () => {
    const r = await run("docker", ["-H", exposed, "info", "-f", "{{range .Warnings}}{{println .}}{{end}}"], { env: { DOCKER_CONFIG: d.env.DOCKER_CONFIG! } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`[DEPRECATION NOTICE]: API is accessible on http://${exposed.slice(6)} without encryption.`), r.stdout);
    const log = await fs.readFile(d.logFile, "utf8");
    for (const h of [loop, exposed]) {
      assert.ok(log.includes(`msg="Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network." host="${h}"`), log);
    }
  });
});
