import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadDaemonConfig } from "./load.js";
import { reloadDaemonConfig } from "./reload.js";

async function withFile(content: unknown, fn: (file: string) => Promise<void>): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-cfg-"));
  const file = path.join(dir, "daemon.json");
  await fs.writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  try {
    await fn(file);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

test("flags and daemon.json keys land in the config; flags without the file work", async () => {
  const { config } = await loadDaemonConfig(["-D", "--label", "a=1", "--label=b=2", "--log-opt", "max-size=1m", "--iptables=false", "--mtu", "1400", "--default-ulimit", "nofile=100:200"]);
  assert.equal(config.debug, true);
  assert.deepEqual(config.labels, ["a=1", "b=2"]);
  assert.deepEqual(config.logOpts, { "max-size": "1m" });
  assert.equal(config.iptables, false);
  assert.equal(config.mtu, 1400);
  assert.deepEqual(config.defaultUlimits, { nofile: { Name: "nofile", Soft: 100, Hard: 200 } });
  await withFile({
    "log-driver": "local", "log-opts": { "max-file": "3" }, labels: ["x=y"], "default-address-pools": [{ base: "10.123.0.0/16", size: 24 }],
    dns: ["10.0.0.2"], "dns-search": ["example.org"], "dns-opts": ["ndots:2"], "max-concurrent-downloads": 7, "max-concurrent-uploads": 2,
    "shutdown-timeout": 3, "default-shm-size": "32M", features: { buildkit: false }, experimental: true, "live-restore": true,
    "metrics-addr": "127.0.0.1:0", runtimes: { other: { path: "/bin/true" } }, "userland-proxy": false, "ip-forward": false, init: true,
    "insecure-registries": ["127.0.0.1:5000"], "registry-mirrors": ["http://127.0.0.1:5001"], "default-runtime": "runc", "cgroup-parent": "/x",
    "default-ulimits": { nproc: { Name: "nproc", Hard: 50, Soft: 40 } }, "log-level": "warn", tlsverify: true,
  }, async (file) => {
    const { config, warnings } = await loadDaemonConfig(["--config-file", file, "--add-runtime", "mine=/bin/false"]);
    assert.equal(config.logDriver, "local");
    assert.deepEqual(config.logOpts, { "max-file": "3" });
    assert.deepEqual(config.defaultAddressPools, [{ base: "10.123.0.0/16", size: 24 }]);
    assert.deepEqual([config.dns, config.dnsSearch, config.dnsOpts], [["10.0.0.2"], ["example.org"], ["ndots:2"]]);
    assert.deepEqual([config.maxConcurrentDownloads, config.maxConcurrentUploads, config.shutdownTimeout], [7, 2, 3]);
    assert.equal(config.defaultShmSize, "32M");
    assert.deepEqual(Object.keys(config.runtimes).sort(), ["mine", "other"], "runtimes merge flag and file, as dockerd");
    assert.equal(config.tls.verify, true);
    assert.equal(config.logLevel, "warn");
    assert.deepEqual(warnings, []);
  });
});

test("dockerd's errors: unknown keys, keys given twice, bad types and values", async () => {
  await withFile({ "log-driver": "json-file", "no-such-key": 1, "other-key": true }, async (file) => {
    await assert.rejects(loadDaemonConfig(["--config-file", file]), {
      message: `unable to configure the daemon with file ${file}: the following directives don't match any configuration option: no-such-key, other-key`,
    });
  });
  await withFile({ "log-driver": "json-file", labels: ["a=b"], debug: false }, async (file) => {
    await assert.rejects(loadDaemonConfig(["--config-file", file, "--log-driver", "local", "--label", "c=d", "-D"]), {
      message: `unable to configure the daemon with file ${file}: the following directives are specified both as a flag and in the configuration file: ` +
        "log-driver: (from flag: local, from file: json-file), labels: (from flag: [c=d], from file: [a=b]), debug: (from flag: true, from file: false)",
    });
  });
  await withFile({ debug: "yes" }, async (file) => {
    await assert.rejects(loadDaemonConfig(["--config-file", file]), /invalid value for "debug": expected true or false, got "yes"/);
  });
  await withFile("{ not json", async (file) => {
    await assert.rejects(loadDaemonConfig(["--config-file", file]), /invalid JSON/);
  });
  await withFile({ "log-opts": { foo: "bar" } }, async (file) => {
    await assert.rejects(loadDaemonConfig(["--config-file", file]), { message: "unknown log opt 'foo' for json-file log driver" });
  });
  await assert.rejects(loadDaemonConfig(["--log-driver", "nope"]), { message: "logger: no log driver named 'nope' is registered" });
  await assert.rejects(loadDaemonConfig(["--log-level", "loud"]), { message: "invalid logging level: loud" });
  await assert.rejects(loadDaemonConfig(["--max-concurrent-downloads", "-1"]), { message: "invalid max concurrent downloads: -1" });
  await assert.rejects(loadDaemonConfig(["--label", "nokey"]), { message: "bad attribute format: nokey" });
  await assert.rejects(loadDaemonConfig(["--no-such-flag"]), /unknown flag: --no-such-flag/);
  await assert.rejects(loadDaemonConfig(["--config-file", "/nonexistent/daemon.json"]), /unable to configure the daemon with file \/nonexistent\/daemon.json/);
  // dockerd keys wharf does not act on are accepted with a warning, not refused.
  const { warnings } = await loadDaemonConfig(["--storage-driver", "overlay2"]);
  assert.match(warnings[0]!, /storage-driver is accepted for compatibility with dockerd and ignored/);
});

test("SIGHUP reload: reloadable keys change (and fall back to flag or default when removed), others do not", async () => {
  await withFile({ labels: ["a=1"], debug: true, "log-driver": "local", bip: "10.99.0.1/24" }, async (file) => {
    const loaded = await loadDaemonConfig(["--config-file", file, "--max-concurrent-downloads", "5"]);
    const cfg = loaded.config;
    await fs.writeFile(file, JSON.stringify({ labels: ["b=2"], "log-opts": { "max-size": "1m" }, bip: "10.98.0.1/24", "insecure-registries": ["r:5000"] }));
    const changes = await reloadDaemonConfig(cfg, loaded);
    assert.deepEqual(changes.map((c) => c.key).sort(), ["debug", "insecure-registries", "labels", "log-driver", "log-opts"]);
    assert.deepEqual(cfg.labels, ["b=2"]);
    assert.equal(cfg.debug, false);
    assert.equal(cfg.logDriver, "json-file", "removed from the file: back to the default");
    assert.equal(cfg.maxConcurrentDownloads, 5, "the flag still holds");
    assert.equal(cfg.bip, "10.99.0.1/24", "bip is not reloadable");
    await fs.writeFile(file, JSON.stringify({ "log-opts": { bogus: "1" } }));
    await assert.rejects(reloadDaemonConfig(cfg, loaded), /unknown log opt 'bogus'/);
    assert.deepEqual(cfg.logOpts, { "max-size": "1m" }, "a bad file changes nothing");
    await fs.writeFile(file, JSON.stringify({ "max-concurrent-downloads": 2 }));
    await assert.rejects(reloadDaemonConfig(cfg, loaded), /specified both as a flag and in the configuration file: max-concurrent-downloads/);
  });
});
