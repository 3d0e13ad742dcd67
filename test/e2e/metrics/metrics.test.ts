import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { freePort, Prometheus } from "../../helpers/receivers.js";

/** --metrics-addr: dockerd's engine metrics, per-container usage and log drops, scraped by a real Prometheus, linted by promtool. */
describe("Prometheus metrics", () => {
  let d: TestDaemon;
  let prom: Prometheus | undefined;
  let addr: string;
  const dk = (args: string[], timeoutMs = 120_000) => run("docker", args, { env: d.env, timeoutMs });
  const scrape = async () => {
    const r = await fetch(`http://${addr}/metrics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    return r.text();
  };

  before(async () => {
    addr = `127.0.0.1:${await freePort()}`;
    d = await startTestDaemon(["--metrics-addr", addr]);
  });
  after(async () => {
    await prom?.stop();
    await d?.stop();
  });

  test("engine metrics under dockerd's names, per-container usage, log-driver drops; promtool finds nothing to lint", async () => {
    const web = uniqueName("web");
    assert.equal((await dk(["run", "-d", "--name", web, "--health-cmd", "true", "--health-interval", "1s", "busybox", "sh", "-c", "dd if=/dev/zero of=/tmp/f bs=1M count=8; sleep 300"])).code, 0);
    // A non-blocking syslog to a receiver that never reads: the oldest undelivered lines are dropped and counted.
    const held: net.Socket[] = [];
    const stalled = net.createServer({ pauseOnConnect: true }, (s) => held.push(s));
    await new Promise<void>((r) => stalled.listen(0, "127.0.0.1", r));
    const chatty = uniqueName("chatty");
    try {
      const r = await dk(["run", "--name", chatty, "--log-driver", "syslog", "--log-opt", `syslog-address=tcp://127.0.0.1:${(stalled.address() as net.AddressInfo).port}`,
        "--log-opt", "mode=non-blocking", "--log-opt", "max-buffer-size=100k", "busybox", "sh", "-c",
        `awk 'BEGIN { pad = sprintf("%390s", ""); for (i = 1; i <= 40000; i++) printf "%08d %s\\n", i, pad }'`]);
      assert.equal(r.code, 0, r.stderr);
      const text = await waitFor("usage, health checks and drops in the metrics", async () => {
        const t = await scrape();
        return /engine_daemon_health_checks_total [1-9]/.test(t) && new RegExp(`logger_messages_dropped_total\\{[^}]*name="${chatty}"[^}]*\\} [1-9]`).test(t) ? t : undefined;
      }, 60_000, 500);
      for (const re of [
        /^engine_daemon_container_actions_seconds_bucket\{le="[^"]+",action="start"\} \d+$/m,
        /^engine_daemon_container_actions_seconds_count\{action="create"\} [1-9]/m,
        /^engine_daemon_container_states_containers\{state="running"\} 1$/m,
        /^engine_daemon_container_states_containers\{state="stopped"\} 1$/m,
        /^engine_daemon_events_total [1-9]/m,
        /^engine_daemon_engine_info\{architecture="[^"]+",commit="",daemon_id="[^"]+",graphdriver="overlay2",kernel="[^"]+",os="linux",os_type="linux",os_version="[^"]+",version="[^"]+"\} 1$/m,
        /^engine_daemon_engine_cpus_cpus \d+$/m,
        /^engine_daemon_engine_memory_bytes \d+$/m,
        /^engine_daemon_health_checks_failed_total 0$/m,
        /^process_resident_memory_bytes \d+/m,
        new RegExp(`^container_memory_usage_bytes\\{id="[0-9a-f]{64}",name="${web}",image="busybox"\\} [1-9]\\d*$`, "m"),
        new RegExp(`^container_cpu_usage_seconds_total\\{id="[0-9a-f]{64}",name="${web}",image="busybox"\\} [0-9.e-]+$`, "m"),
        new RegExp(`^container_processes\\{[^}]*name="${web}"[^}]*\\} [1-9]`, "m"),
        new RegExp(`^container_network_receive_bytes_total\\{[^}]*name="${web}"[^}]*interface="eth0"\\} \\d+$`, "m"),
        new RegExp(`^container_fs_writes_bytes_total\\{[^}]*name="${web}"[^}]*\\} \\d+$`, "m"),
      ]) assert.match(text, re);
      const lint = await run("promtool", ["check", "metrics"], { input: text });
      assert.equal(lint.code, 0, lint.stdout + lint.stderr);
      assert.equal(lint.stdout + lint.stderr, "", "promtool check metrics is clean");
    } finally {
      await dk(["rm", "-f", chatty]);
      for (const s of held) s.destroy();
      stalled.close();
    }

    // A real Prometheus scrapes the endpoint.
    prom = new Prometheus();
    await prom.start(addr);
    const up = await waitFor("Prometheus to scrape wharf", async () => {
      const r = await prom!.query(`container_memory_usage_bytes{name="${web}"}`);
      return r.length ? r : undefined;
    }, 60_000, 500);
    assert.ok(Number(up[0].value[1]) > 0);
    assert.equal((await prom.query('up{job="wharf"}'))[0]?.value[1], "1");
    await dk(["rm", "-f", web]);
  });

  test("unknown paths are 404; the listener is separate from the API", async () => {
    assert.equal((await fetch(`http://${addr}/v1.50/info`)).status, 404);
  });
});
