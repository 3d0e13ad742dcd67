import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { promises as fs, statfsSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { run, TestDaemon, uniqueName, waitFor } from "../../helpers/daemon.js";
import { startWharfRegistry, type TestRegistry } from "../registry/registries.js";

/**
 * A full disk (issue 17): the data-root sits on a 48 MB tmpfs made for this
 * test. Pull, build, commit, cp, create and log writing fail with "no space
 * left on device" naming what was being written; `docker run` of a container
 * that fills the disk returns; the daemon stays up, nothing on disk is
 * corrupt, no deleted file stays open, and everything works again once space
 * is freed.
 */
describe("a full data-root", () => {
  let d: TestDaemon;
  let reg: TestRegistry;
  let remote = "";
  const docker = (...args: string[]) => run("docker", args, { env: d.env, timeoutMs: 120_000 });
  const ok = async (...args: string[]) => {
    const r = await docker(...args);
    assert.equal(r.code, 0, `docker ${args.join(" ")}: ${r.stderr}${r.stdout}`);
    return r.stdout.trim();
  };
  const noSpace = (r: { code: number | null; stderr: string; stdout: string }, what: RegExp) => {
    assert.notEqual(r.code, 0, `the operation failed: ${r.stdout}`);
    assert.match(r.stderr + r.stdout, /no space left on device/i);
    assert.match(r.stderr + r.stdout, what);
  };
  const used = () => {
    const s = statfsSync(d.dataRoot);
    return (s.blocks - s.bfree) * s.bsize;
  };
  const deletedOpenFiles = async () => {
    const pid = d.proc!.pid!;
    const out: string[] = [];
    for (const fd of await fs.readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      const target = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
      if (target.endsWith("(deleted)") && target.startsWith(d.dataRoot)) out.push(target);
    }
    return out;
  };
  /** Never fill a disk that is not the test's tmpfs (a daemon that unmounted it would write to the host's). */
  const assertSmallDisk = () => {
    const s = statfsSync(d.dataRoot);
    assert.ok(s.blocks * s.bsize <= 64 << 20, `${d.dataRoot} is the 48 MB tmpfs`);
  };
  const daemonAlive = async () => assert.ok((await ok("version", "-f", "{{.Server.Version}}")).length > 0);

  before(async () => {
    reg = await startWharfRegistry();
    d = new TestDaemon();
    await fs.mkdir(d.dataRoot, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=48m", "tmpfs", d.dataRoot]);
    await d.start();
    assertSmallDisk();
    await d.seedBusybox();
    // An image waiting in the registry (pushed while there is room): 6 MB of random bytes.
    remote = `${reg.host}/full/${uniqueName("img")}:1`;
    const c = uniqueName("mk");
    await ok("run", "--name", c, "--network", "none", "busybox", "sh", "-c", "head -c 6000000 /dev/urandom > /big");
    await ok("commit", c, remote);
    await ok("rm", c);
    await ok("push", remote);
    await ok("rmi", remote);
  });
  after(async () => {
    await Promise.all([d?.stop(), reg?.stop()]);
  });

  test("docker run of a container that fills the disk returns, and the daemon stays up", async () => {
    assertSmallDisk();
    // Bounded: at most 64 MB, more than the tmpfs holds.
    const r = await docker("run", "--name", "filler", "--network", "none", "busybox", "sh", "-c", "dd if=/dev/zero of=/fill bs=1M count=64 2>/dev/null; echo filled");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "filled");
    await daemonAlive();
    assert.match(await ok("ps", "-a", "--filter", "name=filler", "--format", "{{.Status}}"), /^Exited \(0\)/);
    const s = statfsSync(d.dataRoot);
    assert.ok(s.bavail * s.bsize < 1 << 20, "the disk is full");
  });

  test("pull, commit, build, cp, create and logs fail clearly on the full disk", async () => {
    noSpace(await docker("pull", remote), /writing (layer|blob) sha256:[0-9a-f]{64}/);
    assert.deepEqual(await fs.readdir(path.join(d.dataRoot, "content/ingest")), [], "no partial download left");
    assert.equal((await docker("image", "inspect", remote)).code, 1);

    noSpace(await docker("commit", "filler", "full/commit:1"), /writing .*layer/);
    assert.deepEqual(await deletedOpenFiles(), [], "no deleted file held open by the daemon");

    const ctx = await fs.mkdtemp("/tmp/wharf-full-ctx-");
    try {
      await fs.writeFile(path.join(ctx, "Dockerfile"), "FROM busybox\nCOPY data /data\n");
      await fs.writeFile(path.join(ctx, "data"), Buffer.alloc(2_000_000, 7));
      const built = await run("docker", ["build", "-t", "full/build:1", ctx], { env: { ...d.env, DOCKER_BUILDKIT: "0" }, timeoutMs: 120_000 });
      noSpace(built, /writing/);
    } finally {
      await fs.rm(ctx, { recursive: true, force: true });
    }

    const src = await fs.mkdtemp("/tmp/wharf-full-cp-");
    try {
      await fs.writeFile(path.join(src, "payload"), Buffer.alloc(3_000_000, 1));
      noSpace(await docker("cp", path.join(src, "payload"), "filler:/"), /payload|writing/);
    } finally {
      await fs.rm(src, { recursive: true, force: true });
    }
    noSpace(await docker("create", "--network", "none", "busybox", "true"), /container/);

    await daemonAlive();
  });

  test("once space is freed everything works again, nothing is corrupt, and the daemon logged no crash", async () => {
    assertSmallDisk();
    const before = used();
    await ok("rm", "-f", "filler");
    await waitFor("the filler's space to come back", () => used() < before - 20_000_000);
    assert.deepEqual(await deletedOpenFiles(), []);

    // Output that fills the disk through the log: the container runs to its end, `run` returns,
    // the monitor says once what it could not write, and the log stays readable.
    const loud = await docker("run", "--name", "loud", "--network", "none", "busybox", "sh", "-c", "yes 0123456789 | head -c 10000000; echo after");
    assert.equal(loud.code, 0, loud.stderr);
    assert.match(loud.stdout, /after\n$/);
    const id = await ok("inspect", "-f", "{{.Id}}", "loud");
    const shimLog = await fs.readFile(path.join(d.execRoot, id, "shim.log"), "utf8");
    assert.match(shimLog, /writing log \S+-json\.log: No space left on device/);
    assert.ok(shimLog.split("\n").length < 10, "the failure is logged once, not per line");
    const logs = await docker("logs", "--tail", "1", "loud");
    assert.equal(logs.code, 0, logs.stderr);
    await ok("rm", "loud");
    await ok("pull", remote);
    assert.equal(await ok("run", "--rm", "--network", "none", remote, "sh", "-c", "wc -c < /big"), "6000000");
    const c = uniqueName("c");
    await ok("run", "--name", c, "--network", "none", "busybox", "sh", "-c", "echo committed > /file");
    await ok("commit", c, "full/commit:2");
    assert.equal(await ok("run", "--rm", "--network", "none", "full/commit:2", "cat", "/file"), "committed");
    await ok("rm", c);

    // A restart reads every record back.
    await d.terminate();
    await d.start();
    await ok("image", "inspect", remote, "full/commit:2");
    for (const dir of ["containers", "image/imagedb"]) {
      for (const e of await fs.readdir(path.join(d.dataRoot, dir))) {
        const f = dir === "containers" ? path.join(d.dataRoot, dir, e, "config.v2.json") : path.join(d.dataRoot, dir, e);
        JSON.parse(await fs.readFile(f, "utf8"));
      }
    }
    const leftovers = execFileSync("sh", ["-c", `find ${d.dataRoot} -name '.*.tmp' | head`]).toString().trim();
    assert.equal(leftovers, "", "no temp file of a failed atomic write");
    const log = await fs.readFile(d.logFile, "utf8");
    assert.doesNotMatch(log, /unhandled rejection|uncaught exception/);
  });
});
