import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, WHARF, type TestDaemon } from "../../helpers/daemon.js";
import { makeTestCerts, type TestCerts } from "../../helpers/certs.js";
import { freePort } from "../../helpers/ports.js";

/**
 * Issue 18, client side: wharf's client over mutual TLS (flags and env), and
 * contexts shared with the docker CLI's store, checked against the docker CLI
 * itself: a context made by one is used by the other, `wharf context use`
 * steers plain `docker ps`, and the context commands print the same bytes.
 */

const base = `/tmp/wharf-ctx-${uniqueName("c")}`;
let certs: TestCerts;
let d: TestDaemon;
let tcp: string;

const wharf = (args: string[], env: Record<string, string>, input?: string) => run(process.execPath, [WHARF, ...args], { env, input, timeoutMs: 60_000 });
const docker = (args: string[], env: Record<string, string>, input?: string) => run("docker", args, { env, input, timeoutMs: 60_000 });
/** A private config dir (config.json + context store) with no DOCKER_HOST in the way. */
async function configDir(name: string): Promise<Record<string, string>> {
  const dir = `${base}/${name}`;
  await fs.mkdir(dir, { recursive: true });
  return { DOCKER_CONFIG: dir, DOCKER_HOST: "", DOCKER_CONTEXT: "", DOCKER_TLS_VERIFY: "", DOCKER_CERT_PATH: "", DOCKER_TLS: "" };
}

before(async () => {
  certs = await makeTestCerts(`${base}/certs`);
  tcp = `tcp://127.0.0.1:${await freePort()}`;
  d = await startTestDaemon(["-H", tcp, "--tlsverify", "--tlscacert", certs.ca, "--tlscert", certs.serverCert, "--tlskey", certs.serverKey]);
});
after(async () => {
  await d?.stop();
  await fs.rm(base, { recursive: true, force: true });
});

describe("wharf client over mutual TLS", () => {
  test("--tlsverify --tlscacert --tlscert --tlskey -H tcp://: ps, run (hijacked) and exec -i", async () => {
    const env = await configDir("flags");
    const flags = ["--tlsverify", "--tlscacert", certs.ca, "--tlscert", certs.clientCert, "--tlskey", certs.clientKey, "-H", tcp];
    const r = await wharf([...flags, "run", "--rm", "busybox", "echo", "wharf over tls"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "wharf over tls\n");
    const name = uniqueName("tlsx");
    assert.equal((await wharf([...flags, "run", "-d", "--name", name, "busybox", "sleep", "60"], env)).code, 0);
    try {
      const x = await wharf([...flags, "exec", "-i", name, "cat"], env, "piped in\n");
      assert.equal(x.stdout, "piped in\n", x.stderr);
      const ps = await wharf([...flags, "ps", "--format", "{{.Names}}"], env);
      assert.ok(ps.stdout.split("\n").includes(name), ps.stdout);
    } finally {
      await wharf([...flags, "rm", "-f", name], env);
    }
  });

  test("DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH", async () => {
    const env = { ...(await configDir("env")), DOCKER_HOST: tcp, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs.clientDir };
    const r = await wharf(["version", "-f", "{{.Client.Context}} {{.Server.ApiVersion}}"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "default 1.50\n");
  });

  test("a certificate from another CA, and a wrong CA for the daemon, fail with a TLS message", async () => {
    const env = await configDir("bad");
    const other = await wharf(["--tlsverify", "--tlscacert", certs.ca, "--tlscert", certs.otherClientCert, "--tlskey", certs.otherClientKey, "-H", tcp, "ps"], env);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /closed the TLS connection.*client certificate/);
    const wrongCa = await wharf(["--tlsverify", "--tlscacert", certs.otherCa, "--tlscert", certs.clientCert, "--tlskey", certs.clientKey, "-H", tcp, "ps"], env);
    assert.equal(wrongCa.code, 1);
    assert.match(wrongCa.stderr, /failed to verify the daemon's certificate/);
    // plain HTTP to the TLS port is no daemon at all
    const plain = await wharf(["-H", tcp, "ps"], env);
    assert.equal(plain.code, 1);
  });
});

describe("contexts shared with the docker CLI", () => {
  const dockerFlag = () => `host=${tcp},ca=${certs.ca},cert=${certs.clientCert},key=${certs.clientKey}`;

  test("docker context create + wharf --context X; wharf context create + docker --context Y", async () => {
    const env = await configDir("shared");
    const a = await docker(["context", "create", "made-by-docker", "--docker", dockerFlag()], env);
    assert.equal(a.code, 0, a.stderr);
    const ps = await wharf(["--context", "made-by-docker", "run", "--rm", "busybox", "echo", "context from docker"], env);
    assert.equal(ps.stdout, "context from docker\n", ps.stderr);
    const b = await wharf(["context", "create", "made-by-wharf", "--description", "remote & <tls>", "--docker", dockerFlag()], env);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout, "made-by-wharf\n");
    assert.equal(b.stderr, 'Successfully created context "made-by-wharf"\n');
    const v = await docker(["--context", "made-by-wharf", "version", "-f", "{{.Server.APIVersion}}"], env);
    assert.equal(v.stdout, "1.50\n", v.stderr);
    // DOCKER_CONTEXT selects it too
    const e = await wharf(["ps", "-q"], { ...env, DOCKER_CONTEXT: "made-by-wharf" });
    assert.equal(e.code, 0, e.stderr);
    // both tools wrote the same bytes for the same input
    const ctxDir = env.DOCKER_CONFIG!;
    const c2 = await docker(["context", "create", "twin", "--description", "remote & <tls>", "--docker", dockerFlag()], env);
    assert.equal(c2.code, 0, c2.stderr);
    const meta = (name: string) => run("sh", ["-c", `cat ${ctxDir}/contexts/meta/$(printf %s ${name} | sha256sum | cut -c1-64)/meta.json`]);
    assert.equal((await meta("made-by-wharf")).stdout, (await meta("twin")).stdout.replace('"twin"', '"made-by-wharf"'));
  });

  test("wharf context use changes what plain docker ps talks to; rm -f falls back to the default", async () => {
    const env = await configDir("use");
    assert.equal((await wharf(["context", "create", "tls-engine", "--docker", dockerFlag()], env)).code, 0);
    const name = uniqueName("ctxuse");
    await wharf(["--context", "tls-engine", "create", "--name", name, "busybox", "true"], env);
    try {
      const before = await docker(["ps", "-a", "--format", "{{.Names}}"], env);
      assert.ok(!before.stdout.includes(name), "the default context is not the test daemon");
      const use = await wharf(["context", "use", "tls-engine"], env);
      assert.equal(use.stdout, "tls-engine\n");
      assert.equal(use.stderr, 'Current context is now "tls-engine"\n');
      const after = await docker(["ps", "-a", "--format", "{{.Names}}"], env);
      assert.ok(after.stdout.split("\n").includes(name), after.stdout + after.stderr);
      assert.equal((await docker(["context", "show"], env)).stdout, "tls-engine\n");
      const inUse = await wharf(["context", "rm", "tls-engine"], env);
      assert.equal(inUse.code, 1);
      assert.equal(inUse.stderr, 'context "tls-engine" is in use, set -f flag to force remove\n');
      assert.equal((await wharf(["context", "rm", "-f", "tls-engine"], env)).code, 0);
      assert.equal((await docker(["context", "show"], env)).stdout, "default\n");
    } finally {
      await wharf(["-H", d.host, "rm", "-f", name], env);
    }
  });

  test("context commands print what the docker CLI prints", async () => {
    const w = await configDir("cmp-w");
    const k = await configDir("cmp-d");
    const host = { DOCKER_HOST: d.host };
    const both = async (args: string[], extra: Record<string, string> = {}) => {
      const a = await wharf(args, { ...w, ...extra });
      const b = await docker(args, { ...k, ...extra });
      const norm = (s: string) => s.split(w.DOCKER_CONFIG!).join("CFG").split(k.DOCKER_CONFIG!).join("CFG");
      // without DOCKER_HOST the default contexts differ by design (wharf's socket is /var/run/wharf.sock): compare cells, not padding
      const defaults = (s: string) => (s.includes("/var/run/docker.sock") || s.includes("/var/run/wharf.sock") ? s.replace("/var/run/docker.sock", "/var/run/wharf.sock").replace(/ {2,}/g, "  ") : s);
      assert.equal(defaults(norm(a.stdout)), defaults(norm(b.stdout)), `stdout of ${args.join(" ")}`);
      assert.equal(norm(a.stderr).replace(/\bwharf\b/g, "docker"), norm(b.stderr), `stderr of ${args.join(" ")}`);
      assert.equal(a.code, b.code, `exit code of ${args.join(" ")}`);
    };
    await both(["context", "create", "alpha", "--description", "first one", "--docker", dockerFlag()]);
    await both(["context", "create", "beta10", "--docker", "host=ssh://me@example.com:2222,skip-tls-verify=true"]);
    await both(["context", "create", "beta9", "--docker", "host=unix:///run/other.sock"]);
    await both(["context", "create", "alpha", "--docker", "host=tcp://x:1"]);
    await both(["context", "create", "bad/name", "--docker", "host=tcp://x:1"]);
    await both(["context", "create", "gamma", "--docker", "host=tcp://x:1,colour=blue"]);
    await both(["context", "create", "copy", "--from", "alpha", "--description", "copied"]);
    for (const args of [["context", "ls"], ["context", "ls", "-q"], ["context", "ls", "--format", "json"], ["context", "ls", "--format", "{{.Name}}: {{.DockerEndpoint}}"], ["context", "inspect", "alpha", "copy"], ["context", "inspect", "beta10", "-f", "{{.Endpoints.docker.SkipTLSVerify}}"], ["context", "inspect", "default"], ["context", "show"]]) {
      await both(args, host);
    }
    await both(["context", "use", "beta9"]);
    await both(["context", "ls"]);
    await both(["context", "use", "nosuch"]);
    await both(["context", "update", "beta9", "--description", "updated", "--docker", "host=tcp://127.0.0.1:1"]);
    await both(["context", "inspect"]);
    await both(["context", "rm", "default", "nosuch", "alpha"]);
    await both(["context", "ls"], host);
    assert.equal(await fs.readFile(`${w.DOCKER_CONFIG}/config.json`, "utf8"), await fs.readFile(`${k.DOCKER_CONFIG}/config.json`, "utf8"));
  });

  test("export and import across the two tools, TLS material included", async () => {
    const env = await configDir("xport");
    assert.equal((await docker(["context", "create", "src", "--docker", dockerFlag()], env)).code, 0);
    const file = `${base}/src.tar`;
    const ex = await docker(["context", "export", "src", file], env);
    assert.equal(ex.code, 0, ex.stderr);
    const im = await wharf(["context", "import", "via-wharf", file], env);
    assert.equal(im.stderr, 'Successfully imported context "via-wharf"\n');
    assert.equal((await wharf(["--context", "via-wharf", "ps", "-q"], env)).code, 0);
    const tar = await wharf(["context", "export", "via-wharf", "-"], env);
    assert.equal(tar.code, 0, tar.stderr);
    await fs.writeFile(`${base}/w.tar`, tar.stdout, "latin1");
    const back = await docker(["context", "import", "via-docker", `${base}/w.tar`], env);
    assert.equal(back.code, 0, back.stderr);
    const v = await docker(["--context", "via-docker", "version", "-f", "{{.Server.APIVersion}}"], env);
    assert.equal(v.stdout, "1.50\n", v.stderr);
  });
});
