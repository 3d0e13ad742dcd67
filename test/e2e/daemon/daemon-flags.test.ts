import assert from "node:assert/strict";
import { existsSync, promises as fs } from "node:fs";
import net from "node:net";
import { before, after, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/**
 * `wharf daemon` flags of issue #2 exercised through the real docker CLI:
 * tcp next to unix, daemon.json, runtimes, API version fallback, events, and a
 * clean SIGTERM shutdown.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const RUNC = ["/usr/sbin/runc", "/usr/bin/runc"].find((p) => existsSync(p)) ?? "runc";

describe("daemon on unix + tcp, configured by daemon.json and --add-runtime", () => {
  let d: TestDaemon;
  let tcp: string;
  const dk = (args: string[], env: Record<string, string> = {}) => run("docker", args, { env: { ...d.env, ...env }, timeoutMs: 60_000 });

  before(async () => {
    const port = await freePort();
    tcp = `tcp://127.0.0.1:${port}`;
    const conf = `/tmp/wharf-daemon-json-${uniqueName()}.json`;
    await fs.writeFile(conf, JSON.stringify({ "default-runtime": "runc", debug: false }));
    try {
      d = await startTestDaemon(["-H", tcp, "--config-file", conf, "--add-runtime", `myrunc=${RUNC}`]);
    } finally {
      await fs.rm(conf, { force: true });
    }
  });
  after(async () => d?.stop());

  test("the docker CLI works over tcp and over the unix socket at once", async () => {
    for (const host of [tcp, d.host]) {
      const v = await dk(["version", "-f", "{{.Server.APIVersion}}"], { DOCKER_HOST: host });
      assert.equal(v.code, 0, `${host}: ${v.stderr}`);
      assert.equal(v.stdout, "1.50\n");
      const r = await dk(["run", "--rm", "busybox", "echo", "over", host.split(":")[0]!], { DOCKER_HOST: host });
      assert.equal(r.stdout, `over ${host.split(":")[0]}\n`, r.stderr);
    }
    const viaFlag = await run("docker", ["-H", tcp, "ps", "-a", "--format", "{{.ID}}"], { env: { DOCKER_CONFIG: d.env.DOCKER_CONFIG! } });
    assert.equal(viaFlag.code, 0, viaFlag.stderr);
  });

  test("daemon.json default-runtime takes effect: info and the container's runtime are runc", async () => {
    const info = await dk(["info", "-f", "{{.DefaultRuntime}}|{{range $k, $v := .Runtimes}}{{$k}} {{end}}"]);
    assert.equal(info.code, 0, info.stderr);
    const [def, names] = info.stdout.trim().split("|");
    assert.equal(def, "runc");
    const known = names!.trim().split(" ");
    assert.ok(known.includes("runc") && known.includes("myrunc"), known.join(","));
    const name = uniqueName("runc");
    const id = (await dk(["run", "-d", "--name", name, "busybox", "sleep", "60"])).stdout.trim();
    try {
      assert.equal((await dk(["inspect", "-f", "{{.HostConfig.Runtime}}", name])).stdout, "runc\n");
      // runc itself knows the container, under this daemon's runtime root.
      const list = await run(RUNC, ["--root", `${d.execRoot}/runtime-runc`, "list", "-q"]);
      assert.ok(list.stdout.split("\n").includes(id), `runc list: ${list.stdout} ${list.stderr}`);
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  test("--add-runtime registers a runtime that run --runtime uses", async () => {
    const name = uniqueName("myrunc");
    const r = await dk(["run", "-d", "--runtime", "myrunc", "--name", name, "busybox", "sleep", "60"]);
    assert.equal(r.code, 0, r.stderr);
    try {
      assert.equal((await dk(["inspect", "-f", "{{.HostConfig.Runtime}}", name])).stdout, "myrunc\n");
      const list = await run(RUNC, ["--root", `${d.execRoot}/runtime-myrunc`, "list", "-q"]);
      assert.ok(list.stdout.split("\n").includes(r.stdout.trim()), list.stdout);
    } finally {
      await dk(["rm", "-f", name]);
    }
    const bad = await dk(["run", "--rm", "--runtime", "nosuch", "busybox", "true"]);
    assert.equal(bad.code, 125);
    assert.match(bad.stderr, /unknown or invalid runtime name: nosuch/);
  });

  test("DOCKER_API_VERSION=1.24 docker ps works; /v1.24 and unversioned paths answer", async () => {
    const name = uniqueName("old-api");
    await dk(["run", "-d", "--name", name, "busybox", "sleep", "60"]);
    try {
      const ps = await dk(["ps", "--format", "{{.Names}}"], { DOCKER_API_VERSION: "1.24" });
      assert.equal(ps.code, 0, ps.stderr);
      assert.ok(ps.stdout.split("\n").includes(name), ps.stdout);
      const v = await dk(["version", "-f", "{{.Client.APIVersion}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}}"], { DOCKER_API_VERSION: "1.24" });
      assert.equal(v.stdout, "1.24 1.50 1.24\n");
      const negotiated = await dk(["version", "-f", "{{.Client.APIVersion}}"]);
      assert.equal(negotiated.stdout, "1.50\n", "the CLI negotiates up to 1.50 from the Api-Version header");
      for (const p of ["/v1.24/containers/json", "/containers/json"]) {
        const r = await api(d.socket, "GET", p);
        assert.equal(r.status, 200, p);
        assert.equal(r.headers["api-version"], "1.50");
        assert.ok(r.json().some((c: { Names: string[] }) => c.Names[0] === `/${name}`), p);
      }
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  test("docker events --since/--until replays create, attach, start, die, destroy of a run --rm", async () => {
    const name = uniqueName("events");
    const since = Math.floor(Date.now() / 1000) - 1;
    const r = await dk(["run", "--rm", "--name", name, "-l", "evt=yes", "busybox", "true"]);
    assert.equal(r.code, 0, r.stderr);
    const until = Math.floor(Date.now() / 1000) + 1;
    const ev = await dk(["events", "--since", String(since), "--until", String(until), "--filter", `container=${name}`, "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.evt}}"]);
    assert.equal(ev.code, 0, ev.stderr);
    const lines = ev.stdout.split("\n").filter(Boolean);
    for (const l of lines) assert.match(l, new RegExp(`^container \\w+ ${name} yes$`));
    const actions = lines.map((l) => l.split(" ")[1]);
    assert.deepEqual(actions.filter((a) => ["create", "start", "die", "destroy"].includes(a!)), ["create", "start", "die", "destroy"]);
  });
});

describe("daemon with --default-runtime, shut down by SIGTERM", () => {
  let d: TestDaemon;
  const dk = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });

  before(async () => {
    d = await startTestDaemon(["--default-runtime", "runc"]);
  });
  after(async () => d?.stop());

  test("--default-runtime runc is the default; SIGTERM stops containers and exits 0, removing pidfile and socket", async () => {
    assert.equal((await dk(["info", "-f", "{{.DefaultRuntime}}"])).stdout, "runc\n");
    const name = uniqueName("sigterm");
    const started = await dk(["run", "-d", "--name", name, "--stop-timeout", "1", "busybox", "sleep", "300"]);
    assert.equal(started.code, 0, started.stderr);
    const id = started.stdout.trim();
    assert.equal((await dk(["inspect", "-f", "{{.HostConfig.Runtime}}", name])).stdout, "runc\n");
    const pid = Number((await dk(["inspect", "-f", "{{.State.Pid}}", name])).stdout.trim());
    assert.ok(pid > 0 && alive(pid));
    assert.ok(existsSync(d.pidfile) && existsSync(d.socket));

    const proc = d.proc!;
    const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    proc.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), 30_000)))]);
    clearTimeout(timer);
    assert.equal(code, 0, "the daemon exits 0 on SIGTERM");
    assert.equal(alive(pid), false, "the container's process is stopped");
    assert.equal(existsSync(d.pidfile), false, "pidfile removed");
    assert.equal(existsSync(d.socket), false, "socket removed");
    const shims = await run("pgrep", ["-f", `wharf-shim.*${d.execRoot}/${id}`]);
    assert.equal(shims.stdout, "", "no monitor left");

    // Started again, the daemon shows the container as exited, stopped by the shutdown.
    await d.start();
    const state = await waitFor("the container's state after restart", async () => {
      const s = (await dk(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name])).stdout.trim();
      return s ? s : undefined;
    });
    assert.equal(state, "exited 137");
    await dk(["rm", "-f", name]);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
