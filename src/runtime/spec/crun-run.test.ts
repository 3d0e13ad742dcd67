/**
 * End-to-end: generated specs run under the real crun with a busybox rootfs,
 * and the container sees the user, capabilities, hostname, env and limits
 * the spec asked for.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { copyFile, mkdir, readdir, rmdir, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { newId } from "../../lib/ids.js";
import { detectHostInfo, type HostInfo } from "../host-info.js";
import { buildSpec, type SpecInput } from "./build-spec.js";
import { makeRootfs } from "./testing.js";

const CRUN = process.env.WHARF_TEST_OCI_RUNTIME ?? "/usr/bin/crun";
const BUSYBOX = "/bin/busybox";
const canRun = process.getuid?.() === 0 && existsSync(CRUN) && existsSync(BUSYBOX);

/** crun 1.8 refuses hybrid cgroup hosts; mounting hugetlb as v1 makes this host pure v1 (as the setup script does). */
function prepareCgroups(host: HostInfo): void {
  if (host.cgroupVersion === 2) return;
  execFileSync("sh", ["-c", "mkdir -p /sys/fs/cgroup/hugetlb; mountpoint -q /sys/fs/cgroup/hugetlb || mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb"]);
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a bundle to completion with `crun run`; resolves when crun exits. */
function crunRun(stateRoot: string, bundle: string, id: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(CRUN, ["--root", stateRoot, "run", "--bundle", bundle, id], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const statusField = (out: string, field: string) => new RegExp(`^${field}:\\s*(\\S+)`, "m").exec(out)?.[1];

describe("generated specs under crun", { skip: !canRun && "needs root, crun and busybox" }, () => {
  let fx: Awaited<ReturnType<typeof makeRootfs>>;
  let host: HostInfo;
  const cgroupParent = `/wharf-spec-test-${newId().slice(0, 12)}`;

  before(async () => {
    host = await detectHostInfo();
    prepareCgroups(host);
    fx = await makeRootfs("wharf-crun-");
    const bin = join(fx.rootfs, "bin");
    await mkdir(bin, { recursive: true });
    await copyFile(BUSYBOX, join(bin, "busybox"));
    execFileSync("chmod", ["755", join(bin, "busybox")]);
    // Relative links, so they resolve inside the container (busybox --install would link to the host path).
    const applets = execFileSync(BUSYBOX, ["--list"], { encoding: "utf8" }).split("\n").filter((a) => a && a !== "busybox");
    await Promise.all(applets.map((a) => symlink("busybox", join(bin, a))));
    for (const d of ["proc", "sys", "dev", "tmp", "home/alice"]) await mkdir(join(fx.rootfs, d), { recursive: true });
    await writeFile(join(fx.dir, "hostname"), "spec-test\n");
    await writeFile(join(fx.dir, "hosts"), "127.0.0.1 localhost spec-test\n");
    await writeFile(join(fx.dir, "resolv.conf"), "nameserver 127.0.0.1\n");
  });

  after(async () => {
    await fx?.cleanup();
    // crun removes each container's cgroup; remove the parent we made up.
    for (const ctrl of await readdir("/sys/fs/cgroup").catch(() => [] as string[])) {
      await rmdir(join("/sys/fs/cgroup", ctrl, cgroupParent)).catch(() => undefined);
    }
    await rmdir(join("/sys/fs/cgroup", cgroupParent)).catch(() => undefined);
  });

  async function run(over: Partial<SpecInput>): Promise<RunResult> {
    const id = newId();
    const bundle = join(fx.dir, `bundle-${id.slice(0, 12)}`);
    await mkdir(bundle);
    const spec = await buildSpec(
      {
        id,
        rootfsPath: fx.rootfs,
        args: ["/bin/sh", "-c", "id -u; id -g; id -G; hostname; echo home=$HOME; echo foo=$FOO; ulimit -n; rm -f /tmp/null; mknod /tmp/null c 1 3 && echo mknod=ok; cat /proc/self/status"],
        env: ["FOO=bar"],
        cwd: "",
        user: "",
        tty: false,
        openStdin: false,
        hostname: "spec-test",
        domainname: "",
        network: { mode: "none" },
        privileged: false,
        capAdd: [],
        capDrop: [],
        readonlyRootfs: false,
        etcFiles: { hostname: join(fx.dir, "hostname"), hosts: join(fx.dir, "hosts"), resolvConf: join(fx.dir, "resolv.conf") },
        cgroupsPath: `${cgroupParent}/${id}`,
        ...over,
      },
      host,
    );
    await writeFile(join(bundle, "config.json"), JSON.stringify(spec, null, 2));
    const res = await crunRun(join(fx.dir, "state"), bundle, id);
    assert.equal(res.code, 0, `crun failed: ${res.stderr}`);
    return res;
  }

  it("runs as root with Docker's default capabilities, seccomp and clamped nofile", async () => {
    const { stdout } = await run({ ulimits: [{ Name: "nofile", Soft: 1048576, Hard: 1048576 }] });
    const lines = stdout.split("\n");
    assert.deepEqual(lines.slice(0, 7), ["0", "0", "0", "spec-test", "home=/root", "foo=bar", String(host.nofileHardLimit)]);
    // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
    assert.equal(statusField(stdout, "CapBnd"), "00000000a80425fb");
    assert.equal(statusField(stdout, "CapEff"), "00000000a80425fb");
    assert.equal(statusField(stdout, "CapInh"), "0000000000000000");
    assert.equal(statusField(stdout, "Seccomp"), "2");
    assert.equal(statusField(stdout, "NoNewPrivs"), "0");
    assert.ok(stdout.includes("mknod=ok"), "CAP_MKNOD and the device rules allow creating /dev/null's node");
  });

  it("runs a named user with its groups, added caps only in the bounding set, and no-new-privileges", async () => {
    const { stdout } = await run({ user: "alice", groupAdd: ["tty"], capAdd: ["NET_ADMIN"], capDrop: ["MKNOD"], securityOpt: ["no-new-privileges"] });
    const lines = stdout.split("\n");
    assert.deepEqual(lines.slice(0, 5), ["1000", "1000", lines[2], "spec-test", "home=/home/alice"]);
    // The kernel keeps supplementary groups sorted.
    assert.deepEqual(lines[2]!.split(" ").map(Number).sort((a, b) => a - b), [5, 29, 50, 1000]);
    // Default set - MKNOD (bit 27) + NET_ADMIN (bit 12).
    assert.equal(statusField(stdout, "CapBnd"), "00000000a00435fb");
    assert.equal(statusField(stdout, "CapEff"), "0000000000000000");
    assert.equal(statusField(stdout, "NoNewPrivs"), "1");
  });

  it("runs tini as PID 1 over a read-only rootfs with the etc files and shm in place", { skip: !existsSync("/usr/bin/tini-static") }, async () => {
    const script = [
      "cat /proc/1/cmdline | tr '\\0' ' '; echo",
      "touch /probe 2>/dev/null && echo rootfs=rw || echo rootfs=ro",
      "touch /dev/shm/probe && echo shm=rw",
      "cat /etc/hostname /etc/resolv.conf",
      "cat /proc/sys/net/ipv4/ip_unprivileged_port_start",
    ].join("; ");
    const { stdout } = await run({ args: ["/bin/sh", "-c", script], init: { hostPath: "/usr/bin/tini-static" }, readonlyRootfs: true });
    const lines = stdout.split("\n");
    assert.match(lines[0]!, /^\/sbin\/docker-init -- \/bin\/sh -c /);
    assert.deepEqual(lines.slice(1, 6), ["rootfs=ro", "shm=rw", "spec-test", "nameserver 127.0.0.1", "0"]);
  });

  it("runs privileged without seccomp and with the daemon's full bounding set", async () => {
    const { stdout } = await run({ privileged: true });
    assert.equal(statusField(stdout, "Seccomp"), "0");
    const own = statusField(execFileSync("cat", ["/proc/self/status"], { encoding: "utf8" }), "CapBnd");
    assert.equal(statusField(stdout, "CapBnd"), own);
  });
});
