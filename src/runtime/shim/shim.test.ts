// Real-container tests for wharf-shim and its driver: crun (and runc) with a
// busybox bundle. Needs root. Build first: tsc + make -C src/runtime/shim.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createConnection } from "node:net";
import { encodeFrame, FRAME_SUBSCRIBE, FRAME_START } from "./protocol.js";
import { connectShim, readExitFile, spawnShim, type ExitInfo, type ShimConnection, type ShimSpawnOptions } from "./shim-client.js";

const here = dirname(fileURLToPath(import.meta.url));
const SHIM = resolve(here, "../../../bin/wharf-shim"); // dist/bin/wharf-shim
const CRUN = "/usr/bin/crun";
const TOOLS = ["sh", "echo", "cat", "sleep", "seq", "stty", "kill"];

interface Box { dir: string; bundle: string; state: string; runRoot: string; id: string; cgroup: string; runtime: string }
const boxes: Box[] = [];

function ensureHugetlbV1(): void {
  // crun 1.8.1 refuses hybrid cgroup hosts unless hugetlb is a v1 hierarchy.
  if (!existsSync("/sys/fs/cgroup/unified")) return;
  mkdirSync("/sys/fs/cgroup/hugetlb", { recursive: true });
  try { execFileSync("mountpoint", ["-q", "/sys/fs/cgroup/hugetlb"]); } catch {
    execFileSync("mount", ["-t", "cgroup", "-o", "hugetlb", "cgroup", "/sys/fs/cgroup/hugetlb"]);
  }
}

function populateRootfs(rootfs: string): void {
  mkdirSync(join(rootfs, "bin"), { recursive: true });
  copyFileSync("/bin/busybox", join(rootfs, "bin/busybox"));
  for (const t of TOOLS) symlinkSync("busybox", join(rootfs, "bin", t));
}

/** A bundle whose config.json runs `args`; `edit` may adjust the spec further. */
function makeBox(args: string[], opts: { tty?: boolean; runtime?: string; emptyRootfs?: boolean } = {}): Box {
  const dir = mkdtempSync(join(tmpdir(), "wharf-shim-"));
  const bundle = join(dir, "bundle");
  const state = join(dir, "state");
  mkdirSync(join(bundle, "rootfs"), { recursive: true });
  mkdirSync(state);
  if (!opts.emptyRootfs) populateRootfs(join(bundle, "rootfs"));
  execFileSync(CRUN, ["spec"], { cwd: bundle });
  const spec = JSON.parse(readFileSync(join(bundle, "config.json"), "utf8"));
  const rand = randomBytes(6).toString("hex");
  spec.process.args = args;
  spec.process.terminal = opts.tty ?? false;
  spec.root.readonly = false;
  spec.linux.cgroupsPath = `/wharf-test/${rand}`;
  writeFileSync(join(bundle, "config.json"), JSON.stringify(spec, null, 2));
  const box = { dir, bundle, state, runRoot: join(dir, "run"), id: `shimtest-${rand}`, cgroup: spec.linux.cgroupsPath, runtime: opts.runtime ?? CRUN };
  boxes.push(box);
  return box;
}

function spawnOpts(box: Box, extra: Partial<ShimSpawnOptions> = {}): ShimSpawnOptions {
  return { shimPath: SHIM, id: box.id, bundle: box.bundle, stateDir: box.state, runtimePath: box.runtime,
    runtimeRoot: box.runRoot, log: { path: join(box.dir, "ctr.log"), format: "json", maxSize: -1, maxFile: 1, compress: false }, tty: false, openStdin: false, ...extra };
}

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 10000): Promise<T> {
  const end = Date.now() + ms;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

function alive(pid: number): boolean {
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8")); } catch { return false; }
}

/** Collects output frames and resolves `exited` with the exit frame. */
function collect(conn: ShimConnection): { out: () => string; err: () => string; exited: Promise<ExitInfo> } {
  let out = "", err = "";
  conn.on("stdout", (b: Buffer) => { out += b.toString(); });
  conn.on("stderr", (b: Buffer) => { err += b.toString(); });
  const exited = new Promise<ExitInfo>((res) => conn.once("exit", res));
  return { out: () => out, err: () => err, exited };
}

async function runToExit(box: Box, extra: Partial<ShimSpawnOptions> = {}) {
  const { pid, shimPid } = await spawnShim(spawnOpts(box, extra));
  const conn = await connectShim(box.state);
  const c = collect(conn);
  conn.subscribe();
  await conn.start();
  return { pid, shimPid, conn, ...c, exit: await c.exited };
}

/** After exit: no shim, no container process, no runtime state, no cgroup, no socket. */
async function assertCleanedUp(box: Box, pid: number, shimPid: number): Promise<void> {
  await waitFor("shim to exit", () => !alive(shimPid));
  assert.equal(alive(pid), false);
  assert.equal(existsSync(join(box.state, "shim.sock")), false);
  assert.equal(existsSync(join(box.runRoot, box.id)), false);
  assert.equal(existsSync(join("/sys/fs/cgroup/pids", box.cgroup)), false);
  assert.equal(readFileSync("/proc/self/mountinfo", "utf8").includes(box.dir), false);
}

describe("wharf-shim", () => {
  before(() => {
    ensureHugetlbV1();
    assert.ok(existsSync(SHIM), `${SHIM} missing: run make -C src/runtime/shim`);
  });
  after(() => {
    for (const b of boxes) {
      try { execFileSync(b.runtime, ["--root", b.runRoot, "delete", "--force", b.id], { stdio: "ignore" }); } catch { /* gone */ }
      try { execFileSync("umount", ["-l", join(b.bundle, "rootfs")], { stdio: "ignore" }); } catch { /* not mounted */ }
      rmSync(b.dir, { recursive: true, force: true });
    }
    for (const ctl of ["blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "hugetlb", "memory", "pids", "systemd", "unified", ""]) {
      try { execFileSync("rmdir", [join("/sys/fs/cgroup", ctl, "wharf-test")], { stdio: "ignore" }); } catch { /* in use or absent */ }
    }
  });

  for (const runtime of [CRUN, "/usr/sbin/runc"]) {
    it(`logs stdout and stderr, streams them, records exit 3 (${runtime})`, async () => {
      const box = makeBox(["sh", "-c", "echo out1; echo err1 >&2; printf 'tab\\there \"q\" \\001 '; echo; exit 3"], { runtime });
      const r = await runToExit(box);
      assert.deepEqual(r.exit.exitCode, 3);
      assert.equal(r.exit.signal, 0);
      assert.equal(r.out(), "out1\ntab\there \"q\" \x01 \n");
      assert.equal(r.err(), "err1\n");
      const lines = readFileSync(join(box.dir, "ctr.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((l) => [l.stream, l.log]).sort(),
        [["stderr", "err1\n"], ["stdout", "out1\n"], ["stdout", "tab\there \"q\" \x01 \n"]]);
      for (const l of lines) assert.match(l.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      assert.deepEqual(await readExitFile(box.state), r.exit);
      await assertCleanedUp(box, r.pid, r.shimPid);
    });
  }

  it("reports death by signal as 128+n", async () => {
    // PID 1 of a pid namespace ignores its own SIGKILL: kill it from outside.
    const box = makeBox(["sh", "-c", "echo ready; sleep 1000"]);
    const { pid, shimPid } = await spawnShim(spawnOpts(box));
    const conn = await connectShim(box.state);
    const c = collect(conn);
    conn.subscribe();
    await conn.start();
    await waitFor("ready", () => c.out() === "ready\n");
    process.kill(pid, "SIGKILL");
    const exit = await c.exited;
    assert.deepEqual([exit.exitCode, exit.signal], [137, 9]);
    await assertCleanedUp(box, pid, shimPid);
  });

  it("splits long lines at 16 KiB in the log and keeps a final partial line", async () => {
    const box = makeBox(["sh", "-c", "i=0; while [ $i -lt 2000 ]; do printf 0123456789; i=$((i+1)); done; echo; printf tail"]);
    const r = await runToExit(box);
    const logs = readFileSync(join(box.dir, "ctr.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l).log as string);
    assert.deepEqual(logs.map((l) => l.length), [16384, 20000 - 16384 + 1, 4]);
    assert.equal(logs.join(""), r.out());
  });

  it("holds the container back while a subscriber is behind, and lets go when it disconnects", async () => {
    const box = makeBox(["seq", "1", "1000000"]);
    const { pid, shimPid } = await spawnShim(spawnOpts(box));
    const stuck = createConnection(join(box.state, "shim.sock"));
    await new Promise((r) => stuck.once("connect", r));
    stuck.pause(); // subscribed, not reading: like docker's attach, the output waits for it
    stuck.write(Buffer.concat([encodeFrame(FRAME_SUBSCRIBE), encodeFrame(FRAME_START)]));
    const logLines = () => readFileSync(join(box.dir, "ctr.log"), "utf8").split("\n").length - 1;
    await waitFor("some output", () => logLines() > 1000);
    const held = logLines();
    assert.ok(held < 1000000, "the container is held back while its subscriber does not read");
    assert.equal(await readExitFile(box.state), undefined);
    // A subscriber that goes away no longer holds anything: the rest runs through.
    stuck.destroy();
    const exit = await waitFor("exit.json", () => readExitFile(box.state), 20000);
    assert.equal(exit.exitCode, 0);
    const log = readFileSync(join(box.dir, "ctr.log"), "utf8").trim().split("\n");
    assert.equal(log.length, 1000000);
    assert.equal(JSON.parse(log.at(-1)!).log, "1000000\n");
    await assertCleanedUp(box, pid, shimPid);
  });

  it("never lets a client that does not subscribe stall the container", async () => {
    const box = makeBox(["seq", "1", "200000"]);
    const { pid, shimPid } = await spawnShim(spawnOpts(box));
    const idle = createConnection(join(box.state, "shim.sock"));
    await new Promise((r) => idle.once("connect", r));
    idle.pause();
    idle.write(encodeFrame(FRAME_START));
    const exit = await waitFor("exit.json", () => readExitFile(box.state), 20000);
    assert.equal(exit.exitCode, 0);
    assert.equal(readFileSync(join(box.dir, "ctr.log"), "utf8").trim().split("\n").length, 200000);
    idle.destroy();
    await assertCleanedUp(box, pid, shimPid);
  });

  it("feeds stdin through a pipe and closes it on request", async () => {
    const box = makeBox(["cat"]);
    const { shimPid } = await spawnShim(spawnOpts(box, { openStdin: true }));
    const conn = await connectShim(box.state);
    const c = collect(conn);
    conn.subscribe();
    await conn.start();
    conn.writeStdin(Buffer.from("hello shim\n"));
    await waitFor("echo from cat", () => c.out() === "hello shim\n");
    conn.closeStdin();
    assert.equal((await c.exited).exitCode, 0);
    await waitFor("shim to exit", () => !alive(shimPid));
  });

  it("runs an exec process in a running container", async () => {
    const box = makeBox(["sleep", "1000"]);
    const { pid, shimPid } = await spawnShim(spawnOpts(box));
    const main = await connectShim(box.state);
    const mainExit = collect(main).exited;
    await main.start();
    const spec = JSON.parse(readFileSync(join(box.bundle, "config.json"), "utf8"));
    const processPath = join(box.dir, "exec.json");
    writeFileSync(processPath, JSON.stringify({ ...spec.process, args: ["sh", "-c", "echo in-exec; echo e >&2; exit 5"] }));
    const execState = join(box.dir, "exec-state");
    mkdirSync(execState);
    const ex = await spawnShim(spawnOpts(box, { stateDir: execState, execProcessPath: processPath, log: undefined }));
    assert.notEqual(ex.pid, pid);
    // The exec has probably finished already: the shim waits for start and replays its output.
    const conn = await connectShim(execState);
    const c = collect(conn);
    conn.subscribe();
    await conn.start();
    const exit = await c.exited;
    assert.equal(exit.exitCode, 5);
    assert.equal(c.out(), "in-exec\n");
    assert.equal(c.err(), "e\n");
    await waitFor("exec shim to exit", () => !alive(ex.shimPid));
    assert.equal((await waitFor("exec exit.json", () => readExitFile(execState)))!.exitCode, 5);
    assert.ok(alive(pid), "the container survives its exec");
    execFileSync(box.runtime, ["--root", box.runRoot, "kill", box.id, "KILL"]);
    assert.equal((await mainExit).exitCode, 137);
    await assertCleanedUp(box, pid, shimPid);
  });

  it("holds a chatty exec back until its subscriber arrives, losing nothing", async () => {
    const box = makeBox(["sleep", "1000"]);
    const { pid, shimPid } = await spawnShim(spawnOpts(box));
    const main = await connectShim(box.state);
    const mainExit = collect(main).exited;
    await main.start();
    const spec = JSON.parse(readFileSync(join(box.bundle, "config.json"), "utf8"));
    const processPath = join(box.dir, "exec-big.json");
    // 4 MB: more than the shim's early-output buffer (1 MiB).
    writeFileSync(processPath, JSON.stringify({ ...spec.process, args: ["sh", "-c", "seq 1 600000"] }));
    const execState = join(box.dir, "exec-big");
    mkdirSync(execState);
    const ex = await spawnShim(spawnOpts(box, { stateDir: execState, execProcessPath: processPath, log: undefined }));
    // A daemon slow to subscribe (a loaded machine): the exec has long filled its pipe and the early buffer.
    await new Promise((r) => setTimeout(r, 1500));
    const conn = await connectShim(execState);
    const chunks: Buffer[] = [];
    conn.on("stdout", (b: Buffer) => chunks.push(b));
    const exited = new Promise<ExitInfo>((res) => conn.once("exit", res));
    conn.subscribe();
    await conn.start();
    assert.equal((await exited).exitCode, 0);
    const lines = Buffer.concat(chunks).toString().trim().split("\n");
    assert.equal(lines.length, 600000);
    assert.equal(lines[599999], "600000");
    await waitFor("exec shim to exit", () => !alive(ex.shimPid));
    execFileSync(box.runtime, ["--root", box.runRoot, "kill", box.id, "KILL"]);
    await mainExit;
    await assertCleanedUp(box, pid, shimPid);
  });

  it("gives a TTY that can be resized", async () => {
    const box = makeBox(["sh"], { tty: true });
    const { shimPid } = await spawnShim(spawnOpts(box, { tty: true, openStdin: true }));
    const conn = await connectShim(box.state);
    const c = collect(conn);
    conn.subscribe();
    conn.resize(30, 100);
    await conn.start();
    conn.writeStdin(Buffer.from("stty size\n"));
    await waitFor("first size", () => c.out().includes("30 100"));
    conn.resize(40, 120);
    conn.writeStdin(Buffer.from("stty size; exit 7\n"));
    await waitFor("second size", () => c.out().includes("40 120"));
    assert.equal((await c.exited).exitCode, 7);
    assert.equal(c.err(), "");
    const log = readFileSync(join(box.dir, "ctr.log"), "utf8");
    assert.ok(log.includes("40 120"));
    await waitFor("shim to exit", () => !alive(shimPid));
  });

  it("rejects with the runtime's message when the executable is missing", async () => {
    const box = makeBox(["/no/such/binary"]);
    await assert.rejects(spawnShim(spawnOpts(box)), /\/no\/such\/binary/);
    assert.equal(existsSync(join(box.runRoot, box.id)), false);
    assert.equal(existsSync(join(box.state, "shim.sock")), false);
    await assert.rejects(connectShim(box.state));
  });

  it("outlives the process that spawned it", async () => {
    const box = makeBox(["sh", "-c", "for i in 1 2 3 4 5 6; do echo tick $i; sleep 0.2; done"]);
    const script = join(box.dir, "spawner.mjs");
    const client = pathToFileURL(join(here, "shim-client.js")).href;
    writeFileSync(script, `import { spawnShim, connectShim } from ${JSON.stringify(client)};
      const r = await spawnShim(${JSON.stringify(spawnOpts(box))});
      const c = await connectShim(${JSON.stringify(box.state)}); c.subscribe(); await c.start();
      console.log(JSON.stringify(r)); setInterval(() => {}, 1000);`);
    const spawner = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    let line = "";
    spawner.stdout.on("data", (d: Buffer) => { line += d.toString(); });
    const { pid, shimPid } = JSON.parse(await waitFor("spawner output", () => line.includes("\n") && line)) as { pid: number; shimPid: number };
    spawner.kill("SIGKILL");
    await new Promise((r) => spawner.once("exit", r));
    assert.ok(alive(shimPid));
    const exit = await waitFor("exit.json", () => readExitFile(box.state), 15000);
    assert.equal(exit.exitCode, 0);
    const ticks = readFileSync(join(box.dir, "ctr.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l).log);
    assert.deepEqual(ticks, [1, 2, 3, 4, 5, 6].map((i) => `tick ${i}\n`));
    await assertCleanedUp(box, pid, shimPid);
  });

  it("mounts an overlay rootfs for the container's lifetime", async () => {
    const box = makeBox(["sh", "-c", "cat /data/hello.txt; echo written > /new.txt; grep -c ' / overlay' /proc/mounts"], { emptyRootfs: true });
    const [lower1, lower2, upper, work] = ["lower1", "lower2", "upper", "work"].map((d) => join(box.dir, d));
    populateRootfs(lower1!);
    mkdirSync(join(lower2!, "data"), { recursive: true });
    writeFileSync(join(lower2!, "data/hello.txt"), "from lower2\n");
    mkdirSync(upper!);
    mkdirSync(work!);
    const r = await runToExit(box, { rootfs: { lowerDirs: [lower2!, lower1!], upperDir: upper!, workDir: work! } });
    assert.equal(r.exit.exitCode, 0);
    assert.equal(r.out(), "from lower2\n1\n");
    assert.equal(readFileSync(join(upper!, "new.txt"), "utf8"), "written\n");
    assert.equal(existsSync(join(box.bundle, "rootfs/bin")), false, "rootfs unmounted after exit");
    await assertCleanedUp(box, r.pid, r.shimPid);
  });
});
