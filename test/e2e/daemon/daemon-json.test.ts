import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, WHARF, type TestDaemon } from "../../helpers/daemon.js";

/** daemon.json through a real daemon and the docker CLI: defaults for containers, --validate, SIGHUP reload. */
describe("daemon.json", () => {
  let d: TestDaemon;
  let conf: string;
  const dk = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });

  before(async () => {
    conf = `/tmp/wharf-daemon-json-${uniqueName()}.json`;
    await fs.writeFile(conf, JSON.stringify({
      "log-driver": "local", "log-opts": { "max-size": "2m", "max-file": "2" }, labels: ["tier=test"],
      dns: ["10.53.53.53"], "dns-search": ["corp.example"], "default-ulimits": { nofile: { Name: "nofile", Hard: 4321, Soft: 1234 } },
      "default-shm-size": "32M", "shutdown-timeout": 5,
    }));
    d = await startTestDaemon(["--config-file", conf]);
  });
  after(async () => {
    await d?.stop();
    await fs.rm(conf, { force: true });
  });

  test("wharf daemon --validate: 'configuration OK' on stderr, or the error and exit 1", async () => {
    const ok = await run(process.execPath, [WHARF, "daemon", "--validate", "--config-file", conf]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stderr, "configuration OK\n");
    const bad = `${conf}.bad`;
    await fs.writeFile(bad, JSON.stringify({ "log-driver": "json-file", "not-a-key": 1 }));
    try {
      const r = await run(process.execPath, [WHARF, "daemon", "--validate", "--config-file", bad, "--log-driver", "local"]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /the following directives don't match any configuration option: not-a-key/);
      await fs.writeFile(bad, JSON.stringify({ "log-driver": "json-file" }));
      const twice = await run(process.execPath, [WHARF, "daemon", "--validate", "--config-file", bad, "--log-driver", "local"]);
      assert.match(twice.stderr, /specified both as a flag and in the configuration file: log-driver: \(from flag: local, from file: json-file\)/);
    } finally {
      await fs.rm(bad, { force: true });
    }
  });

  test("containers get the daemon's log driver, DNS, ulimits and shm size; info shows labels and the driver", async () => {
    const info = await dk(["info", "-f", "{{.LoggingDriver}} {{json .Labels}}"]);
    assert.equal(info.stdout, 'local ["tier=test"]\n', info.stderr);
    const name = uniqueName("defaults");
    const r = await dk(["run", "--name", name, "busybox", "sh", "-c", "cat /etc/resolv.conf; ulimit -n; ulimit -Hn; df -k /dev/shm | tail -1"]);
    try {
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /nameserver 10\.53\.53\.53/);
      assert.match(r.stdout, /search corp\.example/);
      assert.match(r.stdout, /\n1234\n4321\n/);
      assert.match(r.stdout, /\s32768\s/, "shm is 32 MiB");
      const lc = await dk(["inspect", "-f", "{{json .HostConfig.LogConfig}}", name]);
      assert.deepEqual(JSON.parse(lc.stdout), { Type: "local", Config: { "max-size": "2m", "max-file": "2" } });
      const own = await dk(["run", "--rm", "--log-driver", "json-file", "--log-opt", "max-size=1k", "busybox", "echo", "own"]);
      assert.equal(own.stdout, "own\n", "a container's own driver does not take the default's options");
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  test("SIGHUP reloads labels, debug and the default log driver, logs the change and emits a daemon reload event", async () => {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    await fs.writeFile(conf, JSON.stringify({ "log-driver": "json-file", labels: ["tier=reloaded"], debug: true, dns: ["10.9.9.9"] }));
    d.proc!.kill("SIGHUP");
    await waitFor("the reloaded labels in docker info", async () => (await dk(["info", "-f", "{{json .Labels}}"])).stdout === '["tier=reloaded"]\n');
    assert.equal((await dk(["info", "-f", "{{.LoggingDriver}} {{.Debug}}"])).stdout, "json-file true\n");
    const log = await fs.readFile(d.logFile, "utf8");
    assert.match(log, /Reloaded configuration.*labels: \[\\"tier=test\\"\] -> \[\\"tier=reloaded\\"\]/);
    const ev = await dk(["events", "--since", since, "--until", String(Math.floor(Date.now() / 1000) + 1), "--filter", "type=daemon", "--format", "{{.Action}} {{index .Actor.Attributes \"log-driver\"}}"]);
    assert.match(ev.stdout, /^reload json-file$/m);
    const name = uniqueName("after-hup");
    await dk(["create", "--name", name, "busybox", "true"]);
    try {
      assert.equal((await dk(["inspect", "-f", "{{.HostConfig.LogConfig.Type}}", name])).stdout, "json-file\n");
    } finally {
      await dk(["rm", "-f", name]);
    }
    // A bad file is refused as a whole: the error is logged, nothing changes.
    await fs.writeFile(conf, JSON.stringify({ labels: ["x=y"], "log-opts": { nope: "1" } }));
    d.proc!.kill("SIGHUP");
    await waitFor("the reload error in the daemon log", async () => /Error reconfiguring the daemon.*unknown log opt 'nope'/.test(await fs.readFile(d.logFile, "utf8")));
    assert.equal((await dk(["info", "-f", "{{json .Labels}}"])).stdout, '["tier=reloaded"]\n');
  });
});
