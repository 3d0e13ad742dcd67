import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/** 100-byte numbered lines: "00000001 xxxx…". */
const LINES = (n: number) => `awk 'BEGIN { pad = sprintf("%91s", ""); gsub(/ /, "x", pad); for (i = 1; i <= ${n}; i++) printf "%08d %s\\n", i, pad }'`;

function consecutive(text: string): { first: number; last: number; count: number } {
  const nums = text.split("\n").filter(Boolean).map((l) => Number(l.slice(0, 8)));
  for (let i = 1; i < nums.length; i++) assert.equal(nums[i], nums[i - 1] + 1, `line ${i}: ${nums[i - 1]} then ${nums[i]}`);
  return { first: nums[0], last: nums[nums.length - 1], count: nums.length };
}

/** json-file and local written by the monitor: rotation, compression, attributes, validation, and no loss on a daemon SIGKILL. */
describe("log files: json-file and local", () => {
  let d: TestDaemon;
  const dk = (args: string[], timeoutMs = 120_000) => run("docker", args, { env: d.env, timeoutMs });
  const dirOf = (id: string) => path.join(d.dataRoot, "containers", id);

  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  for (const driver of ["json-file", "local"]) {
    test(`${driver}: 50 MB with max-size=1m,max-file=3 keeps ~3 MB on disk; logs and --tail read the rotated files in order`, async () => {
      const name = uniqueName(driver);
      const r = await dk(["run", "-d", "--name", name, "--log-driver", driver, "--log-opt", "max-size=1m", "--log-opt", "max-file=3", "busybox", "sh", "-c", LINES(500_000)]);
      assert.equal(r.code, 0, r.stderr);
      const id = r.stdout.trim();
      try {
        assert.equal((await dk(["wait", name], 300_000)).stdout, "0\n");
        const dir = driver === "local" ? path.join(dirOf(id), "local-logs") : dirOf(id);
        // local compresses rotated files (its default): wait for the last compression to finish.
        const files = await waitFor("rotation to settle", async () => {
          const names = (await fs.readdir(dir)).filter((f) => /log(\.\d+(\.gz)?)?$/.test(f));
          return names.some((f) => f.endsWith(".tmp") || (driver === "local" && /\.\d+$/.test(f))) ? undefined : names;
        });
        assert.equal(files.length, 3, files.join(" "));
        let bytes = 0;
        for (const f of files) bytes += (await fs.stat(path.join(dir, f))).size;
        assert.ok(bytes < 3.2e6, `${bytes} bytes on disk`);
        const tail = await dk(["logs", "--tail", "5", name]);
        assert.deepEqual(tail.stdout.split("\n").filter(Boolean).map((l) => Number(l.slice(0, 8))), [499996, 499997, 499998, 499999, 500000]);
        const all = await dk(["logs", name]);
        const seq = consecutive(all.stdout);
        assert.equal(seq.last, 500_000);
        // The last ~3 MB of log: json-file spends ~180 bytes a line, local ~130.
        assert.ok(seq.count > (driver === "local" ? 15_000 : 11_000), `logs shows ${seq.count} lines`);
        if (driver === "local") {
          // Rotated files are gzip'd like dockerd's, readable with zcat.
          const gz = files.find((f) => f.endsWith(".1.gz"))!;
          assert.ok(gz, files.join(" "));
          execFileSync("gzip", ["-t", path.join(dir, gz)]);
        }
      } finally {
        await dk(["rm", "-f", name]);
      }
    });
  }

  test("json-file compress=true gzips rotated files; labels, env and tag become attrs", async () => {
    const name = uniqueName("attrs");
    const r = await dk(["run", "--name", name, "-l", "team=web", "-e", "STAGE=prod", "--log-opt", "max-size=10k", "--log-opt", "max-file=3",
      "--log-opt", "compress=true", "--log-opt", "labels=team", "--log-opt", "env=STAGE", "--log-opt", "tag={{.Name}}/{{.ImageName}}",
      "busybox", "sh", "-c", LINES(400)]);
    assert.equal(r.code, 0, r.stderr);
    try {
      const logPath = (await dk(["inspect", "-f", "{{.LogPath}}", name])).stdout.trim();
      const line = JSON.parse((await fs.readFile(logPath, "utf8")).trim().split("\n").pop()!);
      assert.deepEqual(line.attrs, { team: "web", STAGE: "prod", tag: `${name}/busybox` });
      assert.equal(line.log.slice(0, 8), "00000400");
      await waitFor("the .1 file to be compressed", async () => (await fs.readdir(path.dirname(logPath))).some((f) => f.endsWith("-json.log.1.gz")));
      const unzipped = execFileSync("sh", ["-c", `zcat ${logPath}.1.gz | head -1`]).toString();
      assert.match(unzipped, /^\{"log":"\d{8} x+\\n","stream":"stdout","attrs":\{/);
      const seq = consecutive((await dk(["logs", name])).stdout);
      assert.equal(seq.last, 400);
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  test("logs -f follows across rotations without losing or repeating a line", async () => {
    const name = uniqueName("follow");
    const r = await dk(["run", "-d", "--name", name, "--log-opt", "max-size=50k", "--log-opt", "max-file=4", "busybox", "sh", "-c",
      'sleep 1; i=1; while [ $i -le 3000 ]; do printf "%08d %091d\\n" $i 0; [ $((i % 50)) = 0 ] && usleep 20000; i=$((i+1)); done']);
    assert.equal(r.code, 0, r.stderr);
    try {
      const f = await dk(["logs", "-f", name], 180_000);
      assert.equal(f.code, 0, f.stderr);
      const seq = consecutive(f.stdout);
      assert.deepEqual([seq.first, seq.last], [1, 3000]);
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  for (const driver of ["json-file", "local"]) {
    test(`${driver}: SIGKILL of the daemon during output loses no line`, async () => {
      const name = uniqueName(`kill-${driver}`);
      const r = await dk(["run", "-d", "--name", name, "--log-driver", driver, "--log-opt", "max-size=512k", "--log-opt", "max-file=20", "busybox", "sh", "-c",
        `i=1; while [ $i -le 20000 ]; do echo "$i"; i=$((i+1)); done`]);
      assert.equal(r.code, 0, r.stderr);
      try {
        await waitFor("output to start", async () => (await dk(["logs", "--tail", "1", name])).stdout.trim() !== "", 30_000, 20);
        await d.kill9();
        await new Promise((res) => setTimeout(res, 300));
        await d.start();
        assert.equal((await dk(["wait", name], 120_000)).stdout, "0\n");
        const lines = (await dk(["logs", name])).stdout.split("\n").filter(Boolean).map(Number);
        assert.equal(lines.length, 20000);
        assert.ok(lines.every((n, i) => n === i + 1));
      } finally {
        await dk(["rm", "-f", name]);
      }
    });
  }

  test("dockerd's messages for bad drivers and options; none keeps nothing to read; info lists the drivers", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--log-opt", "foo=bar"], /unknown log opt 'foo' for json-file log driver/],
      [["--log-driver", "local", "--log-opt", "foo=bar"], /unknown log opt 'foo' for log driver local/],
      [["--log-driver", "bogus"], /logger: no log driver named 'bogus' is registered/],
      [["--log-opt", "max-buffer-size=1m"], /logger: max-buffer-size option is only supported with 'mode=non-blocking'/],
      [["--log-opt", "mode=sometimes"], /logger: logging mode not supported: sometimes/],
      [["--log-opt", "max-file=2", "--log-opt", "compress=true"], /compress cannot be true when max-file is less than 2 or max-size is not set/],
      [["--log-driver", "syslog", "--log-opt", "syslog-address=ftp://x"], /unsupported scheme: 'ftp'/],
      [["--log-driver", "gelf"], /gelf-address is a required parameter/],
      [["--log-driver", "journald", "--log-opt", "foo=1"], /unknown log opt 'foo' for journald log driver/],
    ];
    for (const [args, message] of cases) {
      const r = await dk(["create", ...args, "busybox", "true"]);
      assert.notEqual(r.code, 0, `${args.join(" ")}: ${r.stdout}`);
      assert.match(r.stderr, message, args.join(" "));
    }
    const name = uniqueName("none");
    assert.equal((await dk(["run", "--name", name, "--log-driver", "none", "busybox", "echo", "hi"])).stdout, "hi\n");
    try {
      const logs = await dk(["logs", name]);
      assert.notEqual(logs.code, 0);
      assert.match(logs.stderr, /configured logging driver does not support reading/);
      assert.equal((await fs.readdir(dirOf((await dk(["inspect", "-f", "{{.Id}}", name])).stdout.trim()))).filter((f) => f.includes("log")).length, 0);
    } finally {
      await dk(["rm", "-f", name]);
    }
    assert.equal((await dk(["info", "-f", "{{.Plugins.Log}}"])).stdout, "[fluentd gelf journald json-file local syslog]\n");
  });
});
