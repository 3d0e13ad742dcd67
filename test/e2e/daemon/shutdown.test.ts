import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import net from "node:net";
import { after, describe, test } from "node:test";
import { run, startTestDaemon, TestDaemon, uniqueName } from "../../helpers/daemon.js";

/**
 * Clean shutdown (issue 17): a daemon that stops with no container running
 * leaves no netfilter table, netns, mount, cgroup, monitor or listener of
 * its own; with live-restore it keeps exactly what running containers need.
 * Only this file's daemons' resources are looked at (others run here too).
 */

const tableExists = (t: string) => {
  try {
    execFileSync("nft", ["list", "table", "ip", t], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const netnsList = async () => fs.readdir("/run/netns").catch(() => [] as string[]);
const mountsOf = async (d: TestDaemon) =>
  (await fs.readFile("/proc/self/mountinfo", "utf8")).split("\n").map((l) => l.split(" ")[4] ?? "").filter((m) => m.startsWith(d.base) || m.startsWith(d.execRoot));
const cgroupDirsOf = async (d: TestDaemon) => {
  const out: string[] = [];
  for (const h of await fs.readdir("/sys/fs/cgroup").catch(() => [] as string[])) {
    const dir = `/sys/fs/cgroup/${h}${d.cgroupParent}`;
    if (await fs.access(dir).then(() => true, () => false)) out.push(dir);
  }
  return out;
};
const monitorsOf = (d: TestDaemon) => {
  const r = execFileSync("sh", ["-c", `ps -eo args | grep -F -- '--runtime-root ${d.execRoot}/' | grep -v grep || true`]).toString();
  return r.split("\n").filter(Boolean);
};
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
const netnsOfSandboxes = async (d: TestDaemon) => {
  const dir = `${d.dataRoot}/network/sandboxes`;
  const out: string[] = [];
  for (const f of await fs.readdir(dir).catch(() => [] as string[])) out.push(JSON.parse(await fs.readFile(`${dir}/${f}`, "utf8")).netns);
  return out;
};

describe("daemon shutdown", () => {
  const daemons: TestDaemon[] = [];
  after(async () => {
    for (const d of daemons) await d.stop();
  });
  const docker = async (d: TestDaemon, ...args: string[]) => {
    const r = await run("docker", args, { env: d.env, timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`docker ${args.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout.trim();
  };

  test("with no container left running, the table, netns, mounts, proxies, cgroups and monitors go", async () => {
    const d = await startTestDaemon();
    daemons.push(d);
    const n = uniqueName("net");
    await docker(d, "network", "create", n);
    const v = uniqueName("tmpvol");
    await docker(d, "volume", "create", "--driver", "local", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "--opt", "o=size=1m", v);
    const c = uniqueName("web");
    await docker(d, "run", "-d", "--name", c, "--network", n, "-p", "127.0.0.1::80", "-v", `${v}:/data`, "busybox", "sleep", "600");
    const port = Number((await docker(d, "port", c, "80")).split(":").pop());
    const stopped = uniqueName("stopped");
    await docker(d, "create", "--name", stopped, "busybox", "true");
    await docker(d, "cp", `${stopped}:/etc/hostname`, "-").catch(() => "");
    const sandboxes = await netnsOfSandboxes(d);
    assert.ok(tableExists(d.nftTable) && (await listening(port)) && sandboxes.length === 1 && (await mountsOf(d)).length > 0);

    assert.equal(await d.terminate(), 0, "the daemon exits cleanly");
    assert.equal(tableExists(d.nftTable), false, `table ${d.nftTable} is gone`);
    const ns = await netnsList();
    for (const s of sandboxes) assert.ok(!ns.includes(s), `netns ${s} is gone`);
    assert.deepEqual(await mountsOf(d), [], "no mount under the data-root or exec-root");
    assert.deepEqual(await cgroupDirsOf(d), [], "no cgroup parent left");
    assert.deepEqual(monitorsOf(d), []);
    assert.equal(await listening(port), false, "the published port is released");

    // A restart brings everything back for the containers that come back.
    await d.start();
    await docker(d, "start", c);
    assert.ok(tableExists(d.nftTable));
  });

  test("with live-restore, exactly what running containers need stays", async () => {
    const d = await startTestDaemon(["--live-restore"]);
    daemons.push(d);
    const keep = uniqueName("keep");
    const gone = uniqueName("gone");
    await docker(d, "run", "-d", "--name", keep, "-p", "127.0.0.1::80", "busybox", "sleep", "600");
    await docker(d, "run", "-d", "--name", gone, "busybox", "sleep", "600");
    await docker(d, "kill", gone);
    const id = await docker(d, "inspect", "-f", "{{.Id}}", keep);
    assert.equal(await d.terminate(), 0);
    assert.ok(tableExists(d.nftTable), "the running container's NAT stays");
    const nft = execFileSync("nft", ["list", "table", "ip", d.nftTable]).toString();
    assert.match(nft, /dnat to/, "its port rule is there");
    assert.deepEqual(await netnsOfSandboxes(d), [`wh-${id.slice(0, 16)}`], "only the running container's sandbox");
    assert.ok((await netnsList()).includes(`wh-${id.slice(0, 16)}`));
    assert.deepEqual((await mountsOf(d)).map((m) => m.split("/").slice(-2, -1)[0]), [id], "only the running container's rootfs is mounted");
    assert.equal(monitorsOf(d).length, 1);

    await d.start();
    await docker(d, "rm", "-f", keep, gone);
    assert.equal(await d.terminate(), 0);
    assert.equal(tableExists(d.nftTable), false);
    assert.deepEqual(await mountsOf(d), []);
    assert.deepEqual(await cgroupDirsOf(d), []);
  });

  test("20 daemons started and stopped in a row leave no table behind", async () => {
    for (let i = 0; i < 20; i++) {
      const d = new TestDaemon();
      try {
        await d.start();
        assert.ok(tableExists(d.nftTable), `daemon ${i} made its table`);
        assert.equal(await d.terminate(), 0);
        assert.equal(tableExists(d.nftTable), false, `daemon ${i} removed ${d.nftTable}`);
        assert.deepEqual(await mountsOf(d), []);
        assert.deepEqual(await cgroupDirsOf(d), []);
      } finally {
        await d.stop(); // its bridge (bridges stay after a daemon stops, as docker0 does)
      }
    }
  });
});
