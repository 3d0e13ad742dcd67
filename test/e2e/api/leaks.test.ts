import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, type TestDaemon } from "../../helpers/daemon.js";

async function snapshot(d: TestDaemon) {
  const mounts = (await fs.readFile("/proc/self/mountinfo", "utf8")).split("\n").filter((l) => l.includes(d.base) || l.includes(d.execRoot)).length;
  const cgroups: string[] = [];
  for (const ctrl of await fs.readdir("/sys/fs/cgroup")) {
    const dir = `/sys/fs/cgroup/${ctrl}${d.cgroupParent}`;
    for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) if (e.isDirectory()) cgroups.push(`${ctrl}/${e.name}`);
  }
  const procs: string[] = [];
  for (const pid of await fs.readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await fs.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmd.includes(d.execRoot)) procs.push(cmd.replace(/\0/g, " "));
  }
  const list = async (dir: string) => (await fs.readdir(dir).catch(() => [] as string[])).sort();
  return {
    bridgePorts: await list(`/sys/class/net/${d.bridge}/brif`),
    mounts,
    cgroups,
    procs,
    containers: await list(`${d.dataRoot}/containers`),
    overlay: await list(`${d.dataRoot}/storage/overlay`),
    exec: (await list(d.execRoot)).filter((e) => !e.startsWith("runtime-")),
  };
}

describe("no leftovers", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("100 sequential `run --rm busybox true` leave no mounts, cgroups, processes or files", async () => {
    const beforeSnap = await snapshot(d);
    for (let i = 0; i < 100; i++) {
      const r = await run("docker", ["run", "--rm", "busybox", "true"], { env: d.env, timeoutMs: 30_000 });
      assert.equal(r.code, 0, `run ${i}: ${r.stderr}`);
    }
    const afterSnap = await snapshot(d);
    assert.deepEqual(afterSnap, beforeSnap);
  });
});
