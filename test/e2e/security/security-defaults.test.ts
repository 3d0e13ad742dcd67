import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { defaultMaskedPaths, defaultReadonlyPaths } from "../../../src/runtime/spec/defaults.js";

/**
 * Security defaults equal to Docker's (issue 17): the default seccomp profile
 * is applied (and lifted by seccomp=unconfined or --privileged), no-new-privileges,
 * --cap-drop/--cap-add ALL, and masked and read-only paths: the defaults
 * recorded on create, HostConfig.MaskedPaths/ReadonlyPaths replacing them
 * (moby's TestCreateWithCustomMaskedPaths/ReadonlyPaths), docker's
 * `--security-opt systempaths=unconfined` emptying them.
 */
describe("security defaults", () => {
  let d: TestDaemon;
  const dk = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });
  const out = async (args: string[]) => {
    const r = await dk(args);
    assert.equal(r.code, 0, `docker ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  const status = async (opts: string[], field: string) =>
    (await out(["run", "--rm", "--network", "none", ...opts, "busybox", "grep", `^${field}:`, "/proc/self/status"])).split(/\s+/)[1];
  /** What a container sees of the paths Docker hides: "masked" (a /dev/null or empty tmpfs over it) or "visible"; and whether /proc/sys is mounted read-only. */
  const probe = "for p in /proc/keys /proc/timer_list; do if [ -c $p ]; then echo $p masked; else echo $p visible; fi; done; " +
    "if ls /sys/firmware | grep -q .; then echo /sys/firmware visible; else echo /sys/firmware masked; fi; " +
    "if grep -q ' /proc/sys proc ro' /proc/mounts; then echo /proc/sys ro; else echo /proc/sys rw; fi";
  const createVia = async (hostConfig: Record<string, unknown>) => {
    const name = uniqueName("sec");
    const r = await api(d.socket, "POST", `/v1.50/containers/create?name=${name}`, {
      Image: "busybox", Cmd: ["sh", "-c", probe], HostConfig: { NetworkMode: "none", ...hostConfig },
    });
    assert.equal(r.status, 201, r.body);
    return name;
  };
  const inspectPaths = async (name: string) => {
    const hc = JSON.parse((await api(d.socket, "GET", `/v1.50/containers/${name}/json`)).body).HostConfig;
    return { masked: hc.MaskedPaths, readonly: hc.ReadonlyPaths };
  };
  const seen = async (name: string) => {
    await out(["start", "-a", name]);
    const logs = await out(["logs", name]);
    await out(["rm", name]);
    return logs;
  };

  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("the default seccomp profile is applied; seccomp=unconfined and --privileged lift it; no-new-privileges sets the bit", async () => {
    assert.equal(await status([], "Seccomp"), "2");
    assert.equal(await status([], "NoNewPrivs"), "0");
    assert.equal(await status(["--security-opt", "seccomp=unconfined"], "Seccomp"), "0");
    assert.equal(await status(["--privileged"], "Seccomp"), "0");
    assert.equal(await status(["--security-opt", "no-new-privileges"], "NoNewPrivs"), "1");
    assert.equal(await status(["--security-opt", "no-new-privileges=true"], "NoNewPrivs"), "1");
    // The profile itself, not only the capability set: creating a user namespace needs no
    // capability, but Docker's profile refuses unshare(2) without CAP_SYS_ADMIN.
    const confined = await dk(["run", "--rm", "--network", "none", "busybox", "unshare", "-U", "true"]);
    assert.notEqual(confined.code, 0);
    assert.match(confined.stderr, /Operation not permitted/);
    if (Number(await fs.readFile("/proc/sys/user/max_user_namespaces", "utf8")) > 0) {
      await out(["run", "--rm", "--network", "none", "--security-opt", "seccomp=unconfined", "busybox", "unshare", "-U", "true"]);
    }
  });

  test("--cap-drop ALL leaves no capability; --cap-add ALL gives the host's bounding set", async () => {
    assert.equal(await status(["--cap-drop", "ALL"], "CapEff"), "0000000000000000");
    assert.equal(await status(["--cap-drop", "ALL"], "CapBnd"), "0000000000000000");
    const hostBnd = (await fs.readFile("/proc/self/status", "utf8")).match(/^CapBnd:\t(\w+)$/m)![1];
    assert.equal(await status(["--cap-add", "ALL"], "CapEff"), hostBnd);
    assert.equal(await status(["--cap-drop", "ALL", "--cap-add", "CHOWN"], "CapEff"), "0000000000000001");
  });

  test("masked and read-only paths: Docker's defaults, recorded on create and applied", async () => {
    const name = await createVia({});
    assert.deepEqual(await inspectPaths(name), { masked: defaultMaskedPaths(), readonly: defaultReadonlyPaths() });
    for (const p of ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"]) assert.ok(defaultMaskedPaths().includes(p), p);
    assert.equal(await seen(name), "/proc/keys masked\n/proc/timer_list masked\n/sys/firmware masked\n/proc/sys ro\n");
  });

  test("HostConfig.MaskedPaths and ReadonlyPaths replace the defaults; empty lists hide nothing", async () => {
    const none = await createVia({ MaskedPaths: [], ReadonlyPaths: [] });
    assert.deepEqual(await inspectPaths(none), { masked: [], readonly: [] });
    assert.equal(await seen(none), "/proc/keys visible\n/proc/timer_list visible\n/sys/firmware visible\n/proc/sys rw\n");

    const custom = await createVia({ MaskedPaths: ["/proc/keys"], ReadonlyPaths: ["/proc/sys"] });
    assert.deepEqual(await inspectPaths(custom), { masked: ["/proc/keys"], readonly: ["/proc/sys"] });
    assert.equal(await seen(custom), "/proc/keys masked\n/proc/timer_list visible\n/sys/firmware visible\n/proc/sys ro\n");
  });

  test("docker's --security-opt systempaths=unconfined empties both lists; --privileged records none", async () => {
    const name = uniqueName("sys");
    await out(["create", "--name", name, "--network", "none", "--security-opt", "systempaths=unconfined", "busybox", "sh", "-c", probe]);
    assert.deepEqual(await inspectPaths(name), { masked: [], readonly: [] });
    assert.equal(await seen(name), "/proc/keys visible\n/proc/timer_list visible\n/sys/firmware visible\n/proc/sys rw\n");

    const priv = uniqueName("priv");
    await out(["create", "--name", priv, "--network", "none", "--privileged", "busybox", "true"]);
    assert.deepEqual(await inspectPaths(priv), { masked: null, readonly: null });
    await out(["rm", priv]);
  });
});
