import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/**
 * `docker run` options of the engine foundation (issue #2), through the real
 * docker CLI against a wharf daemon. Expected values were checked against
 * dockerd 20.10 on the same host.
 */
describe("docker run options", () => {
  let d: TestDaemon;
  const dk = (args: string[], opts: { input?: string; timeoutMs?: number } = {}) => run("docker", args, { env: d.env, timeoutMs: 60_000, ...opts });
  const out = async (args: string[]) => {
    const r = await dk(args);
    assert.equal(r.code, 0, `docker ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("-w sets the working directory, creating it when missing", async () => {
    assert.equal(await out(["run", "--rm", "-w", "/tmp", "busybox", "pwd"]), "/tmp\n");
    assert.equal(await out(["run", "--rm", "-w", "/new/dir", "busybox", "pwd"]), "/new/dir\n");
  });

  test("-u uid:gid and -u name (from the image's /etc/passwd, with its home)", async () => {
    assert.equal(await out(["run", "--rm", "-u", "1000:1000", "busybox", "id"]), "uid=1000 gid=1000 groups=1000\n");
    assert.equal(await out(["run", "--rm", "-u", "nobody", "busybox", "sh", "-c", "id; echo $HOME"]), "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n/home\n");
    assert.equal(await out(["run", "--rm", "-u", "nobody:root", "busybox", "id", "-g"]), "0\n");
  });

  test("an unknown user is docker's error; a --rm container is removed and the CLI returns", async () => {
    const name = uniqueName("nouser");
    const r = await dk(["run", "--rm", "--name", name, "-u", "nosuchuser", "busybox", "id"], { timeoutMs: 30_000 });
    assert.equal(r.code, 125, r.stderr);
    assert.match(r.stderr, /Error response from daemon: unable to find user nosuchuser: no matching entries in passwd file/);
    await waitFor("the --rm container to be gone", async () => (await dk(["inspect", name])).code !== 0);
    const g = await dk(["run", "--rm", "-u", "0:nosuchgroup", "busybox", "id"], { timeoutMs: 30_000 });
    assert.equal(g.code, 125);
    assert.match(g.stderr, /unable to find group nosuchgroup: no matching entries in group file/);
    // Without --rm the failed start is recorded like dockerd: exit code 128 and the error.
    const kept = uniqueName("nouser-kept");
    await out(["create", "--name", kept, "-u", "nosuchuser", "busybox", "id"]);
    const s = await dk(["start", kept]);
    assert.notEqual(s.code, 0);
    assert.equal(await out(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}", kept]), "created 128 unable to find user nosuchuser: no matching entries in passwd file\n");
    await out(["rm", kept]);
  });

  test("--entrypoint replaces the image's; --entrypoint \"\" clears it and the image's Cmd", async () => {
    assert.equal(await out(["run", "--rm", "--entrypoint", "echo", "busybox", "hi", "there"]), "hi there\n");
    assert.equal(await out(["run", "--rm", "--entrypoint", "", "busybox", "echo", "x"]), "x\n");
    const r = await dk(["run", "--rm", "--entrypoint", "", "busybox"]);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /Error response from daemon: No command specified/);
  });

  test("--hostname and --domainname, /etc/hostname, /etc/hosts, /etc/resolv.conf", async () => {
    const o = await out(["run", "--rm", "--hostname", "myhost", "--domainname", "example.com", "busybox", "sh", "-c",
      "hostname; cat /etc/hostname; cat /proc/sys/kernel/domainname; cat /etc/hosts; test -s /etc/resolv.conf && echo resolv-ok; grep -cE ' /etc/(hosts|hostname|resolv.conf) ' /proc/self/mountinfo"]);
    const lines = o.split("\n");
    assert.deepEqual(lines.slice(0, 3), ["myhost", "myhost", "example.com"]);
    assert.match(o, /^127\.0\.0\.1\tlocalhost$/m);
    assert.match(o, /^::1\tlocalhost ip6-localhost ip6-loopback$/m);
    assert.match(o, /^resolv-ok\n3\n$/m, "hosts, hostname and resolv.conf are bind mounts");
    // The default hostname is the short container id.
    const name = uniqueName("hn");
    const id = (await out(["create", "--name", name, "busybox", "cat", "/etc/hostname"])).trim();
    assert.equal((await dk(["start", "-a", name])).stdout, `${id.slice(0, 12)}\n`);
    await out(["rm", name]);
  });

  test("--network none has only lo; --network host sees the host's interfaces", async () => {
    const none = await out(["run", "--rm", "--network", "none", "busybox", "cat", "/proc/net/dev"]);
    assert.deepEqual(ifaces(none), ["lo"]);
    const hostRoute = (await fs.readFile("/proc/net/route", "utf8")).split("\n").slice(1).map((l) => l.split("\t")).find((f) => f[1] === "00000000");
    const host = ifaces(await out(["run", "--rm", "--network", "host", "busybox", "cat", "/proc/net/dev"]));
    assert.ok(host.length > 1, host.join(","));
    if (hostRoute) assert.ok(host.includes(hostRoute[0]!), `host's default-route interface ${hostRoute[0]} in ${host.join(",")}`);
    assert.equal(await out(["run", "--rm", "--network", "host", "busybox", "hostname"]), `${(await fs.readFile("/proc/sys/kernel/hostname", "utf8")).trim()}\n`);
  });

  test("capabilities: docker's default set; --privileged gets the host's full set and devices", async () => {
    const def = await out(["run", "--rm", "busybox", "grep", "CapEff", "/proc/self/status"]);
    assert.equal(def, "CapEff:\t00000000a80425fb\n");
    const hostBnd = (await fs.readFile("/proc/self/status", "utf8")).match(/^CapBnd:\t(\w+)$/m)![1];
    const priv = await out(["run", "--rm", "--privileged", "busybox", "sh", "-c",
      "grep CapEff /proc/self/status; mknod /tmp/k c 1 11 && head -c 1 /tmp/k >/dev/null && echo opened; mkdir -p /tmp/m && mount -t tmpfs none /tmp/m && echo mounted"]);
    assert.equal(priv, `CapEff:\t${hostBnd}\nopened\nmounted\n`);
    const unpriv = await dk(["run", "--rm", "busybox", "sh", "-c", "mknod /tmp/k c 1 11 && echo made; head -c 1 /tmp/k"]);
    assert.equal(unpriv.stdout, "made\n");
    assert.match(unpriv.stderr, /Operation not permitted/);
    const user = await out(["run", "--rm", "-u", "1000", "busybox", "grep", "-E", "Cap(Eff|Bnd)", "/proc/self/status"]);
    assert.equal(user, "CapEff:\t0000000000000000\nCapBnd:\t00000000a80425fb\n");
  });

  test("--read-only: the rootfs refuses writes, /dev/shm stays writable", async () => {
    const r = await dk(["run", "--rm", "--read-only", "busybox", "sh", "-c", "touch /x; echo rc=$?; touch /dev/shm/z; echo shm=$?"]);
    assert.equal(r.stdout, "rc=1\nshm=0\n");
    assert.match(r.stderr, /Read-only file system/);
  });

  test("--stop-signal and --stop-timeout drive docker stop", async () => {
    const name = uniqueName("stopsig");
    await out(["run", "-d", "--name", name, "--stop-signal", "USR1", "--stop-timeout", "1", "busybox", "sh", "-c",
      "trap 'echo got-usr1' USR1; echo ready; while true; do sleep 0.1; done"]);
    try {
      assert.equal(await out(["inspect", "-f", "{{.Config.StopSignal}} {{.Config.StopTimeout}}", name]), "USR1 1\n");
      await waitFor("the trap to be installed", async () => (await dk(["logs", name])).stdout.includes("ready"));
      const stop = await dk(["stop", name]);
      assert.equal(stop.code, 0, stop.stderr);
      assert.ok(stop.ms < 8000, `stop took ${stop.ms} ms with --stop-timeout 1`);
      assert.equal((await dk(["logs", name])).stdout, "ready\ngot-usr1\n");
      assert.equal(await out(["inspect", "-f", "{{.State.ExitCode}}", name]), "137\n");
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  test("--env-file and --label-file", async () => {
    const envFile = `${d.base}/env-${uniqueName()}`;
    const labelFile = `${d.base}/labels-${uniqueName()}`;
    await fs.writeFile(envFile, "A=1\n# comment\n\nB=two words\nH9_PASSED\n");
    await fs.writeFile(labelFile, "l1=a\n# comment\nl2=b c\n");
    const env = await run("docker", ["run", "--rm", "--env-file", envFile, "busybox", "env"], { env: { ...d.env, H9_PASSED: "/from/host" } });
    assert.equal(env.code, 0, env.stderr);
    assert.match(env.stdout, /^A=1$/m);
    assert.match(env.stdout, /^B=two words$/m);
    assert.match(env.stdout, /^H9_PASSED=\/from\/host$/m);
    const name = uniqueName("labels");
    await out(["create", "--name", name, "--label-file", labelFile, "-l", "l3=x", "busybox", "true"]);
    assert.equal(await out(["inspect", "-f", "{{json .Config.Labels}}", name]), '{"l1":"a","l2":"b c","l3":"x"}\n');
    await out(["rm", name]);
  });

  test("-a stdout attaches only stdout", async () => {
    const r = await dk(["run", "--rm", "-a", "stdout", "busybox", "sh", "-c", "echo out; echo err >&2"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "out\n");
    assert.doesNotMatch(r.stderr, /err/);
  });

  test("--init runs docker-init (tini) as PID 1", async () => {
    const o = await out(["run", "--rm", "--init", "busybox", "sh", "-c", "readlink /proc/1/exe; ps -o pid,comm | grep ' 1 '"]);
    assert.match(o, /^\/sbin\/docker-init\n\s+1 docker-init\n$/);
    assert.equal(await out(["run", "--rm", "busybox", "readlink", "/proc/1/exe"]), "/bin/readlink\n");
  });

  test("--restart is accepted and stored; conflicts with --rm like docker", async () => {
    const name = uniqueName("restart");
    await out(["create", "--name", name, "--restart", "on-failure:3", "busybox", "true"]);
    assert.equal(await out(["inspect", "-f", "{{json .HostConfig.RestartPolicy}}", name]), '{"Name":"on-failure","MaximumRetryCount":3}\n');
    await out(["rm", name]);
    const r = await dk(["run", "--rm", "--restart", "always", "busybox", "true"]);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /conflicting options: cannot specify both --restart and --rm/);
  });
});

/** Interface names from /proc/net/dev. */
function ifaces(procNetDev: string): string[] {
  return procNetDev.split("\n").slice(2).map((l) => l.split(":")[0]!.trim()).filter(Boolean).sort();
}
