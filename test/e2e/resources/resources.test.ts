import assert from "node:assert/strict";
import { promises as fs, existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/** Cgroup limits, OOM kills, live updates and stats, through the real docker CLI. */
describe("resource limits", () => {
  let d: TestDaemon;
  const docker = (...args: string[]) => run("docker", args, { env: d.env });
  const v2 = !existsSync("/sys/fs/cgroup/memory");
  /** The container's file for a controller, on v1 or v2. */
  const cg = (id: string, ctrl: string, file: string) => (v2 ? `/sys/fs/cgroup${d.cgroupParent}/${id}/${file}` : `/sys/fs/cgroup/${ctrl}${d.cgroupParent}/${id}/${file}`);
  const idOf = async (name: string) => (await docker("inspect", "-f", "{{.Id}}", name)).stdout.trim();

  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  test("--memory 32m with 100 MB allocated: exit 137, OOMKilled, oom event", async () => {
    const name = uniqueName("oom");
    const since = Math.floor(Date.now() / 1000) - 1;
    const r = await docker("run", "--name", name, "--memory", "32m", "busybox", "sh", "-c", "a=$(dd if=/dev/zero bs=1M count=100 2>/dev/null | tr '\\0' x); echo survived");
    assert.equal(r.code, 137, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /survived/);
    assert.equal((await docker("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", name)).stdout.trim(), "true 137");
    const ev = await docker("events", "--since", String(since), "--until", String(Math.floor(Date.now() / 1000) + 1), "--filter", `container=${name}`, "--filter", "event=oom", "--format", "{{.Action}}");
    assert.equal(ev.stdout.trim(), "oom");
    await docker("rm", name);
  });

  test("--cpus 40.25 is refused with dockerd's message", async () => {
    const r = await docker("run", "--rm", "--cpus", "40.25", "busybox", "true");
    assert.equal(r.code, 125);
    const n = (await fs.readFile("/proc/cpuinfo", "utf8")).split("\n").filter((l) => l.startsWith("processor")).length;
    assert.match(r.stderr, new RegExp(`Range of CPUs is from 0\\.01 to ${n}\\.00, as there are only ${n} CPUs available`));
  });

  test("--cpu-shares, --cpuset-cpus, --pids-limit and --memory show in the cgroup files; docker update changes them live", async () => {
    const name = uniqueName("limits");
    const r = await docker("run", "-d", "--name", name, "--cpu-shares", "512", "--cpuset-cpus", "0", "--pids-limit", "20", "-m", "64m", "busybox", "sleep", "300");
    assert.equal(r.code, 0, r.stderr);
    const id = await idOf(name);
    try {
      if (v2) {
        assert.equal((await fs.readFile(cg(id, "cpu", "cpu.weight"), "utf8")).trim() !== "100", true);
      } else {
        assert.equal((await fs.readFile(cg(id, "cpu", "cpu.shares"), "utf8")).trim(), "512");
      }
      assert.equal((await fs.readFile(cg(id, "cpuset", v2 ? "cpuset.cpus" : "cpuset.cpus"), "utf8")).trim(), "0");
      assert.equal((await fs.readFile(cg(id, "pids", "pids.max"), "utf8")).trim(), "20");
      const memFile = v2 ? cg(id, "memory", "memory.max") : cg(id, "memory", "memory.limit_in_bytes");
      assert.equal((await fs.readFile(memFile, "utf8")).trim(), String(64 * 1024 * 1024));

      const u = await docker("update", "--memory", "100m", "--memory-swap", "200m", "--pids-limit", "30", name);
      assert.equal(u.code, 0, u.stderr);
      assert.equal((await fs.readFile(memFile, "utf8")).trim(), String(100 * 1024 * 1024));
      assert.equal((await fs.readFile(cg(id, "pids", "pids.max"), "utf8")).trim(), "30");
      assert.equal((await docker("inspect", "-f", "{{.HostConfig.Memory}}", name)).stdout.trim(), String(100 * 1024 * 1024));
      const refused = await docker("update", "--memory", "300m", name);
      assert.match(refused.stderr, /Memory limit should be smaller than already set memoryswap limit/);
    } finally {
      await docker("rm", "-f", name);
    }
  });

  test("docker update takes several containers at once", async () => {
    const names = [uniqueName("u1"), uniqueName("u2")];
    for (const n of names) assert.equal((await docker("run", "-d", "--name", n, "busybox", "sleep", "300")).code, 0);
    try {
      const u = await docker("update", "--cpu-shares", "256", ...names);
      assert.equal(u.code, 0, u.stderr);
      assert.deepEqual(u.stdout.trim().split("\n"), names);
      for (const n of names) assert.equal((await docker("inspect", "-f", "{{.HostConfig.CpuShares}}", n)).stdout.trim(), "256");
      if (!v2) for (const n of names) assert.equal((await fs.readFile(cg(await idOf(n), "cpu", "cpu.shares"), "utf8")).trim(), "256");
    } finally {
      await docker("rm", "-f", ...names);
    }
  });

  test("--pids-limit 20 stops a fork bomb", async () => {
    const r = await docker("run", "--rm", "--pids-limit", "20", "busybox", "sh", "-c", "i=0; while [ $i -lt 60 ]; do sleep 30 & i=$((i+1)); done; echo all-started");
    assert.match(r.stderr, /can't fork: Resource temporarily unavailable/);
    assert.doesNotMatch(r.stdout, /all-started/);
  });

  test("docker stats --no-stream: memory within 20 % of the cgroup's figure, PIDS non-zero", async () => {
    const name = uniqueName("stats");
    // A shell holding ~20 MB so the figure is well above noise (the trailing echo keeps sh from exec'ing sleep).
    const r = await docker("run", "-d", "--name", name, "busybox", "sh", "-c", "a=$(dd if=/dev/zero bs=1M count=20 2>/dev/null | tr '\\0' x); sleep 300; echo ${#a}");
    assert.equal(r.code, 0, r.stderr);
    const id = await idOf(name);
    try {
      const usageFile = v2 ? cg(id, "memory", "memory.current") : cg(id, "memory", "memory.usage_in_bytes");
      await waitFor("the allocation", async () => Number(await fs.readFile(usageFile, "utf8")) > 20 * 1024 * 1024, 30_000, 200);
      const s = await docker("stats", "--no-stream", "--format", "{{.MemUsage}}|{{.PIDs}}|{{.CPUPerc}}|{{.NetIO}}|{{.BlockIO}}", name);
      assert.equal(s.code, 0, s.stderr);
      const [mem, pids] = s.stdout.trim().split("|");
      const shown = parseSize(mem!.split(" / ")[0]!);
      const stat = await fs.readFile(v2 ? cg(id, "memory", "memory.stat") : cg(id, "memory", "memory.stat"), "utf8");
      const inactive = Number(new RegExp(`^${v2 ? "inactive_file" : "total_inactive_file"} (\\d+)`, "m").exec(stat)?.[1] ?? 0);
      const actual = Number(await fs.readFile(usageFile, "utf8")) - inactive;
      assert.ok(Math.abs(shown - actual) / actual < 0.2, `stats says ${mem}, cgroup says ${actual}`);
      assert.ok(Number(pids) > 0, `PIDS ${pids}`);
      const table = await docker("stats", "--no-stream", name);
      assert.match(table.stdout, /CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS/);
    } finally {
      await docker("rm", "-f", name);
    }
  });
});

/** "20.5MiB" → bytes. */
function parseSize(s: string): number {
  const m = /^([\d.]+)\s*([KMGT]?i?B)$/.exec(s.trim());
  if (!m) throw new Error(`unparsable size ${s}`);
  const mult: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, kB: 1e3, MB: 1e6, GB: 1e9 };
  return Number(m[1]) * (mult[m[2]!] ?? 1);
}
