import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { InvalidArgumentError } from "../../lib/errors.js";
import { buildSpec } from "./build-spec.js";
import { DEFAULT_CAPABILITIES } from "./capabilities.js";
import { schemaErrors } from "./schema-validator.js";
import { baseInput, makeRootfs, TEST_HOST } from "./testing.js";
import type { OciSpec } from "./types.js";

function assertValid(spec: OciSpec): void {
  assert.deepEqual(schemaErrors(JSON.parse(JSON.stringify(spec))), []);
}

const mount = (s: OciSpec, dest: string) => s.mounts!.find((m) => m.destination === dest);
const envOf = (s: OciSpec, key: string) => s.process!.env!.find((e) => e.startsWith(key + "="))?.slice(key.length + 1);

describe("buildSpec", () => {
  let fx: Awaited<ReturnType<typeof makeRootfs>>;
  before(async () => {
    fx = await makeRootfs();
  });
  after(() => fx.cleanup());

  it("the validator catches invalid specs", () => {
    assert.notDeepEqual(schemaErrors({ ociVersion: 1, process: { args: "x" } }), []);
    assert.notDeepEqual(schemaErrors({ ociVersion: "1.1.0", root: { path: "/" }, linux: { seccomp: { defaultAction: "BOGUS" } } }), []);
    assert.deepEqual(schemaErrors({ ociVersion: "1.1.0", root: { path: "/" }, linux: { seccomp: { defaultAction: "SCMP_ACT_ALLOW" } } }), []);
  });

  it("builds a valid default spec like Docker's", async () => {
    const s = await buildSpec(baseInput(fx.rootfs, { env: ["FOO=bar"] }), TEST_HOST);
    assertValid(s);
    assert.equal(s.root.path, fx.rootfs);
    assert.equal(s.hostname, "aaaaaaaaaaaa");
    assert.equal(s.domainname, undefined);
    assert.deepEqual(s.process!.user, { uid: 0, gid: 0, additionalGids: [0] });
    assert.equal(s.process!.cwd, "/");
    assert.deepEqual(s.process!.env, [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "HOSTNAME=aaaaaaaaaaaa",
      "FOO=bar",
      "HOME=/root",
    ]);
    const caps = s.process!.capabilities!;
    assert.deepEqual(caps.bounding, [...DEFAULT_CAPABILITIES]);
    assert.deepEqual(caps.effective, [...DEFAULT_CAPABILITIES]);
    assert.deepEqual(caps.permitted, [...DEFAULT_CAPABILITIES]);
    assert.equal(caps.inheritable, undefined);
    assert.equal(s.process!.rlimits, undefined);
    assert.equal(s.process!.oomScoreAdj, undefined);
    assert.deepEqual(
      s.mounts!.map((m) => m.destination),
      ["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts"],
    );
    assert.deepEqual(mount(s, "/dev/shm")!.options, ["nosuid", "noexec", "nodev", "mode=1777", "size=67108864"]);
    assert.deepEqual(mount(s, "/etc/hosts"), { destination: "/etc/hosts", type: "bind", source: "/tmp/hosts", options: ["rbind", "rprivate"] });
    assert.ok(mount(s, "/sys")!.options!.includes("ro"));
    const linux = s.linux!;
    assert.deepEqual(linux.namespaces!.map((n) => n.type), ["mount", "network", "uts", "pid", "ipc"]);
    assert.equal(linux.cgroupsPath, "/wharf/" + "a".repeat(64));
    assert.ok(linux.maskedPaths!.includes("/proc/kcore") && linux.maskedPaths!.includes("/sys/firmware"));
    assert.deepEqual(linux.readonlyPaths, ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]);
    assert.deepEqual(linux.resources!.devices![0], { allow: false, access: "rwm" });
    assert.ok(linux.resources!.devices!.some((d) => d.allow && d.major === 136 && d.minor === undefined));
    assert.equal(linux.seccomp!.defaultAction, "SCMP_ACT_ERRNO");
    assert.equal(linux.devices, undefined);
  });

  it("adds TERM for a tty, keeps image PATH/HOME, honours cwd, domainname and no-new-privileges", async () => {
    const s = await buildSpec(
      baseInput(fx.rootfs, {
        tty: true,
        env: ["PATH=/opt/bin", "HOME=/data", "UNSET_ME"],
        cwd: "/tmp",
        domainname: "example.org",
        securityOpt: ["no-new-privileges:true"],
      }),
      TEST_HOST,
    );
    assertValid(s);
    assert.equal(s.process!.terminal, true);
    assert.equal(envOf(s, "TERM"), "xterm");
    assert.equal(envOf(s, "PATH"), "/opt/bin");
    assert.equal(envOf(s, "HOME"), "/data");
    assert.equal(s.process!.cwd, "/tmp");
    assert.equal(s.domainname, "example.org");
    assert.equal(s.process!.noNewPrivileges, true);
  });

  it("runs a named user with bounding capabilities only", async () => {
    const s = await buildSpec(baseInput(fx.rootfs, { user: "alice", groupAdd: ["tty"] }), TEST_HOST);
    assertValid(s);
    assert.deepEqual(s.process!.user, { uid: 1000, gid: 1000, additionalGids: [1000, 50, 29, 5] });
    assert.equal(envOf(s, "HOME"), "/home/alice");
    assert.deepEqual(s.process!.capabilities, { bounding: [...DEFAULT_CAPABILITIES] });
  });

  it("fails for a missing user", async () => {
    await assert.rejects(buildSpec(baseInput(fx.rootfs, { user: "nobody-here" }), TEST_HOST), InvalidArgumentError);
  });

  it("applies cap-add/drop to capabilities and seccomp", async () => {
    const s = await buildSpec(baseInput(fx.rootfs, { capAdd: ["SYS_ADMIN"], capDrop: ["NET_RAW"] }), TEST_HOST);
    assertValid(s);
    assert.ok(s.process!.capabilities!.bounding!.includes("CAP_SYS_ADMIN"));
    assert.ok(!s.process!.capabilities!.bounding!.includes("CAP_NET_RAW"));
    assert.ok(s.linux!.seccomp!.syscalls!.some((r) => r.names.includes("mount") && r.action === "SCMP_ACT_ALLOW"));
  });

  it("builds privileged specs: all caps, no seccomp or masks, rw /sys, host devices", async () => {
    const host = { ...TEST_HOST, boundingCaps: ["CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_NET_ADMIN"] };
    const s = await buildSpec(baseInput(fx.rootfs, { privileged: true, readonlyRootfs: true }), host);
    assertValid(s);
    assert.deepEqual(s.process!.capabilities!.bounding, host.boundingCaps);
    assert.equal(s.linux!.seccomp, undefined);
    assert.deepEqual(s.linux!.maskedPaths, []);
    assert.deepEqual(s.linux!.readonlyPaths, []);
    assert.deepEqual(s.linux!.resources!.devices, [{ allow: true, access: "rwm" }]);
    assert.ok(!mount(s, "/sys")!.options!.includes("ro"));
    assert.ok(!mount(s, "/sys/fs/cgroup")!.options!.includes("ro"));
    assert.ok(s.linux!.devices!.some((d) => d.path === "/dev/null" && d.type === "c" && d.major === 1 && d.minor === 3));
    assert.ok(!s.linux!.devices!.some((d) => d.path.startsWith("/dev/pts/")));
  });

  it("makes the rootfs and default mounts read-only, except the kernel's writable ones", async () => {
    const s = await buildSpec(baseInput(fx.rootfs, { readonlyRootfs: true, shmSize: 1 << 20 }), TEST_HOST);
    assertValid(s);
    assert.equal(s.root.readonly, true);
    assert.deepEqual(mount(s, "/etc/hosts")!.options, ["rbind", "ro", "rprivate"]);
    assert.ok(!mount(s, "/dev/shm")!.options!.includes("ro"));
    assert.ok(mount(s, "/dev/shm")!.options!.includes("size=1048576"));
    assert.ok(!mount(s, "/proc")!.options!.includes("ro"));
  });

  it("shares host namespaces and joins a netns path", async () => {
    const h = await buildSpec(baseInput(fx.rootfs, { network: { mode: "host" }, pid: "host", ipc: "host", uts: "host" }), TEST_HOST);
    assertValid(h);
    assert.deepEqual(h.linux!.namespaces, [{ type: "mount" }]);
    assert.equal(h.hostname, undefined);
    assert.equal(h.linux!.sysctl, undefined);
    assert.deepEqual(mount(h, "/dev/shm"), { destination: "/dev/shm", type: "bind", source: "/dev/shm", options: ["rbind", "rprivate"] });

    const p = await buildSpec(baseInput(fx.rootfs, { network: { mode: "path", path: "/run/netns/x" } }), { ...TEST_HOST, cgroupVersion: 2 });
    assertValid(p);
    assert.deepEqual(p.linux!.namespaces!.find((n) => n.type === "network"), { type: "network", path: "/run/netns/x" });
    assert.ok(p.linux!.namespaces!.some((n) => n.type === "cgroup"), "cgroupns is private on v2");
  });

  it("adds tini as init only with a private pid namespace", async () => {
    const s = await buildSpec(baseInput(fx.rootfs, { init: { hostPath: "/usr/bin/tini" } }), TEST_HOST);
    assertValid(s);
    assert.deepEqual(s.process!.args, ["/sbin/docker-init", "--", "/bin/sh", "-c", "true"]);
    assert.deepEqual(mount(s, "/sbin/docker-init"), { destination: "/sbin/docker-init", type: "bind", source: "/usr/bin/tini", options: ["bind", "ro"] });
    const h = await buildSpec(baseInput(fx.rootfs, { init: { hostPath: "/usr/bin/tini" }, pid: "host" }), TEST_HOST);
    assert.deepEqual(h.process!.args, ["/bin/sh", "-c", "true"]);
  });

  it("lets user mounts replace defaults and orders them by depth", async () => {
    const s = await buildSpec(
      baseInput(fx.rootfs, {
        extraMounts: [
          { destination: "/data/sub", type: "bind", source: "/tmp", options: ["rbind"] },
          { destination: "/data", type: "tmpfs", source: "tmpfs", options: ["nosuid"] },
          { destination: "/etc/hosts", type: "bind", source: "/tmp/other-hosts", options: ["rbind", "ro"] },
          { destination: "/dev/shm/", type: "tmpfs", source: "tmpfs", options: ["size=1m"] },
        ],
      }),
      TEST_HOST,
    );
    assertValid(s);
    const dests = s.mounts!.map((m) => m.destination);
    assert.equal(dests.filter((d) => d === "/etc/hosts").length, 1);
    assert.equal(mount(s, "/etc/hosts")!.source, "/tmp/other-hosts");
    assert.equal(dests.filter((d) => d === "/dev/shm").length, 1);
    assert.deepEqual(mount(s, "/dev/shm")!.options, ["size=1m"]);
    assert.ok(dests.indexOf("/data") < dests.indexOf("/data/sub"));
  });

  it("sets sysctls, rlimits, custom masked paths and seccomp options", async () => {
    const s = await buildSpec(
      baseInput(fx.rootfs, {
        sysctls: { "net.ipv4.ip_unprivileged_port_start": "1024", "kernel.shmmax": "1000" },
        ulimits: [{ Name: "nofile", Soft: 1048576, Hard: 1048576 }],
        maskedPaths: [],
        readonlyPaths: ["/proc/sys"],
        securityOpt: ["seccomp=unconfined"],
      }),
      TEST_HOST,
    );
    assertValid(s);
    assert.equal(s.linux!.sysctl!["net.ipv4.ip_unprivileged_port_start"], "1024");
    assert.equal(s.linux!.sysctl!["kernel.shmmax"], "1000");
    assert.deepEqual(s.process!.rlimits, [{ type: "RLIMIT_NOFILE", soft: 20000, hard: 20000 }]);
    assert.deepEqual(s.linux!.maskedPaths, []);
    assert.deepEqual(s.linux!.readonlyPaths, ["/proc/sys"]);
    assert.equal(s.linux!.seccomp, undefined);
    await assert.rejects(buildSpec(baseInput(fx.rootfs, { sysctls: { "kernel.panic": "1" } }), TEST_HOST), InvalidArgumentError);
  });

  it("puts resource limits and extra devices in linux.resources / linux.devices", async () => {
    const s = await buildSpec(
      baseInput(fx.rootfs, {
        resources: {
          memory: { limit: 33554432, swap: 67108864 },
          cpu: { shares: 512, cpus: "0" },
          pids: { limit: 20 },
          blockIO: { throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1048576 }] },
          devices: [{ allow: true, type: "c", major: 1, minor: 3, access: "rwm" }],
        },
        devices: [{ path: "/dev/xnull", type: "c", major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 }],
      }),
      TEST_HOST,
    );
    assertValid(s);
    assert.equal(s.linux!.resources!.memory!.limit, 33554432);
    assert.equal(s.linux!.resources!.pids!.limit, 20);
    const rules = s.linux!.resources!.devices!;
    assert.deepEqual(rules[0], { allow: false, access: "rwm" }, "the default deny rule stays first");
    assert.deepEqual(rules[rules.length - 1], { allow: true, type: "c", major: 1, minor: 3, access: "rwm" });
    assert.equal(s.linux!.devices!.at(-1)!.path, "/dev/xnull");
  });

  it("rejects empty commands and relative paths", async () => {
    await assert.rejects(buildSpec(baseInput(fx.rootfs, { args: [] }), TEST_HOST), InvalidArgumentError);
    await assert.rejects(buildSpec(baseInput(fx.rootfs, { cwd: "tmp" }), TEST_HOST), /needs to be an absolute path/);
    await assert.rejects(buildSpec(baseInput("rootfs"), TEST_HOST), InvalidArgumentError);
  });
});
