import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run, startTestDaemon, uniqueName, waitFor, WHARF, type TestDaemon } from "../../helpers/daemon.js";
import { freePort, startWharfRegistry, writeHtpasswd, type TestRegistry } from "./registries.js";

const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString("base64")}`;

/** htpasswd Basic auth, the registry's own token service, and TLS of `wharf registry serve`. */
describe("registry server: auth and TLS", () => {
  let dir: string;
  let basicReg: TestRegistry;
  let tokenReg: TestRegistry;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-regauth-"));
    const htpasswd = await writeHtpasswd(dir, "carol", "pa55");
    [basicReg, tokenReg] = await Promise.all([startWharfRegistry({ htpasswd }), startWharfRegistry({ htpasswd, args: ["--token-auth"] })]);
  });
  after(async () => {
    await Promise.all([basicReg?.stop(), tokenReg?.stop()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("requires htpasswd credentials for every request", async () => {
    const v2 = `http://${basicReg.host}/v2/`;
    const anonymous = await fetch(v2);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get("www-authenticate"), 'Basic realm="wharf-registry"');
    assert.equal(((await anonymous.json()) as { errors: { code: string }[] }).errors[0].code, "UNAUTHORIZED");
    const wrong = await fetch(v2, { headers: { Authorization: basic("carol", "nope") } });
    assert.equal(wrong.status, 401);
    await wrong.arrayBuffer();
    const unknownUser = await fetch(v2, { headers: { Authorization: basic("mallory", "pa55") } });
    assert.equal(unknownUser.status, 401);
    await unknownUser.arrayBuffer();
    const ok = await fetch(v2, { headers: { Authorization: basic("carol", "pa55") } });
    assert.equal(ok.status, 200);
    const upload = await fetch(`http://${basicReg.host}/v2/a/b/blobs/uploads/`, { method: "POST", headers: { Authorization: basic("carol", "pa55") } });
    assert.equal(upload.status, 202);
    const catalog = await fetch(`http://${basicReg.host}/v2/_catalog`);
    assert.equal(catalog.status, 401);
    await catalog.arrayBuffer();
  });

  it("issues scoped bearer tokens and enforces them", async () => {
    const base = `http://${tokenReg.host}`;
    const repo = `tok/${uniqueName("r")}`;
    const challenged = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: "POST" });
    assert.equal(challenged.status, 401);
    const challenge = challenged.headers.get("www-authenticate")!;
    assert.equal(challenge, `Bearer realm="${base}/token",service="wharf-registry",scope="repository:${repo}:pull,push"`);
    await challenged.arrayBuffer();

    const tokenUrl = `${base}/token?service=wharf-registry&scope=${encodeURIComponent(`repository:${repo}:pull,push`)}`;
    const denied = await fetch(tokenUrl, { headers: { Authorization: basic("carol", "bad") } });
    assert.equal(denied.status, 401);
    await denied.arrayBuffer();

    const granted = (await (await fetch(tokenUrl, { headers: { Authorization: basic("carol", "pa55") } })).json()) as { token: string; access_token: string; expires_in: number };
    assert.ok(granted.token && granted.token === granted.access_token);
    assert.ok(granted.expires_in > 0);
    const push = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: "POST", headers: { Authorization: `Bearer ${granted.token}` } });
    assert.equal(push.status, 202);
    // The token is for this repository only.
    const other = await fetch(`${base}/v2/${repo}-other/blobs/uploads/`, { method: "POST", headers: { Authorization: `Bearer ${granted.token}` } });
    assert.equal(other.status, 401);
    assert.match(other.headers.get("www-authenticate")!, /error="insufficient_scope"/);
    await other.arrayBuffer();

    // Anonymous callers get pull only.
    const anon = (await (await fetch(tokenUrl)).json()) as { token: string };
    const anonPush = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: "POST", headers: { Authorization: `Bearer ${anon.token}` } });
    assert.equal(anonPush.status, 401);
    await anonPush.arrayBuffer();
    const anonPull = await fetch(`${base}/v2/${repo}/tags/list`, { headers: { Authorization: `Bearer ${anon.token}` } });
    assert.equal(anonPull.status, 404, "allowed through auth; the repository has no tags");
    await anonPull.arrayBuffer();

    // A forged token is refused.
    const [payload] = granted.token.split(".");
    const forged = await fetch(`${base}/v2/`, { headers: { Authorization: `Bearer ${payload}.AAAA` } });
    assert.equal(forged.status, 401);
    await forged.arrayBuffer();
  });

  describe("TLS", () => {
    let tlsDir: string;
    let proc: ChildProcess | undefined;
    let host: string;
    let ca: Buffer;
    let d: TestDaemon;

    before(async () => {
      tlsDir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-regtls-"));
      const key = path.join(tlsDir, "key.pem");
      const cert = path.join(tlsDir, "cert.pem");
      const gen = await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]);
      assert.equal(gen.code, 0, gen.stderr);
      ca = await fs.readFile(cert);
      host = `127.0.0.1:${await freePort()}`;
      let out = "";
      proc = spawn(process.execPath, [WHARF, "registry", "serve", "--addr", host, "--root", path.join(tlsDir, "root"), "--tls-cert", cert, "--tls-key", key], { stdio: ["ignore", "pipe", "pipe"] });
      proc.stdout!.on("data", (c) => (out += c));
      proc.stderr!.on("data", (c) => (out += c));
      const started = startTestDaemon();
      await waitFor(`TLS registry (${out})`, () => out.includes(`listening on https://${host}`) || (proc!.exitCode !== null && Promise.reject(new Error(out))));
      d = await started;
    });
    after(async () => {
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const gone = new Promise((r) => proc!.once("exit", r));
        proc.kill("SIGTERM");
        await gone;
      }
      await d?.stop();
      await fs.rm(tlsDir, { recursive: true, force: true });
    });

    const get = (p: string, opts: https.RequestOptions) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = https.get(`https://${host}${p}`, opts, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
      });

    it("serves https with the given certificate, verified against it as CA", async () => {
      const ok = await get("/v2/", { ca });
      assert.equal(ok.status, 200);
      assert.equal(ok.body, "{}");
      await assert.rejects(get("/v2/", {}), /self[- ]signed certificate/i);
    });

    it("takes a docker push and pull over TLS through a wharf daemon", async () => {
      const ref = `${host}/tls/${uniqueName("bb")}:1`;
      const docker = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 120_000 });
      for (const args of [["tag", "busybox", ref], ["push", ref], ["rmi", ref], ["pull", ref]]) {
        const r = await docker(args);
        assert.equal(r.code, 0, `docker ${args.join(" ")}: ${r.stderr}`);
      }
      const tags = await get(`/v2/${ref.slice(host.length + 1, ref.lastIndexOf(":"))}/tags/list`, { ca });
      assert.deepEqual(JSON.parse(tags.body).tags, ["1"]);
    });
  });
});
