import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

// Edges moby's API integration suite found (see docs/compat.md, "moby's API integration suite"):
// each test is one class of defect, checked through the API or the docker CLI.
describe("edges from moby's integration suite", () => {
  let d: TestDaemon;
  const cleanup: string[][] = [];
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    for (const args of cleanup.reverse()) await docker(args);
    await d?.stop();
  });
  const docker = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });
  const ok = async (args: string[]) => {
    const r = await docker(args);
    assert.equal(r.code, 0, `docker ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };

  test("create ?platform= must match the local image, else 404 with dockerd's words", async () => {
    const img = (await api(d.socket, "GET", "/images/busybox/json")).json();
    const body = { Image: "busybox", Cmd: ["true"] };
    for (const p of [`${img.Os}DifferentOS/${img.Architecture}`, `${img.Os}/${img.Architecture}DifferentArch`]) {
      const r = await api(d.socket, "POST", `/v1.41/containers/create?platform=${encodeURIComponent(p)}`, body);
      assert.equal(r.status, 404, r.body);
      assert.match(r.json().message, /image with reference busybox was found but does not match the specified platform: wanted /);
    }
    const same = await api(d.socket, "POST", `/v1.41/containers/create?platform=${img.Os}/${img.Architecture}`, body);
    assert.equal(same.status, 201, same.body);
    await api(d.socket, "DELETE", `/containers/${same.json().Id}`);
  });

  test("the container's hostname is one of its DNS names on a user network", async () => {
    const net = uniqueName("hostnet");
    const name = uniqueName("hostdns");
    await ok(["network", "create", net]);
    cleanup.push(["network", "rm", net]);
    await ok(["run", "-d", "--name", name, "--hostname", "foobar", "--network", net, "busybox", "top"]);
    cleanup.push(["rm", "-f", name]);
    const names = (await ok(["inspect", "-f", `{{json (index .NetworkSettings.Networks "${net}").DNSNames}}`, name])).trim();
    assert.deepEqual(JSON.parse(names), [name, (await ok(["inspect", "-f", "{{.Id}}", name])).slice(0, 12), "foobar"]);
    const r = await docker(["exec", name, "sh", "-c", "echo 127.0.0.1 localhost > /etc/hosts && nslookup foobar 127.0.0.11"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test("GET /archive of / names the entries /, /bin/, ... as dockerd; docker cp c:/ copies the root's contents", async () => {
    const name = uniqueName("cproot");
    await ok(["create", "--name", name, "busybox", "true"]);
    cleanup.push(["rm", "-f", name]);
    const tarFile = `${d.base}/root.tar`;
    const dump = await run("sh", ["-c", `docker cp ${name}:/ - > ${tarFile}`], { env: d.env });
    assert.equal(dump.code, 0, dump.stderr);
    const list = await run("tar", ["-tf", tarFile]);
    const entries = list.stdout.split("\n");
    assert.equal(entries[0], "/", list.stdout.slice(0, 200));
    assert.ok(entries.includes("/bin/") && entries.includes("/bin/sh"), list.stdout.slice(0, 200));
    const out = `${d.base}/rootcopy`;
    await ok(["cp", `${name}:/`, out]);
    assert.ok((await run("test", ["-x", `${out}/bin/sh`])).code === 0 || (await run("test", ["-L", `${out}/bin/sh`])).code === 0);
  });

  test("update --cpu-quota -1 lifts the quota (the runtime cannot write -1)", async () => {
    const name = uniqueName("quota");
    await ok(["run", "-d", "--name", name, "busybox", "top"]);
    cleanup.push(["rm", "-f", name]);
    const v2 = (await api(d.socket, "GET", "/info")).json().CgroupVersion === "2";
    const read = async () => (await ok(["exec", name, "cat", v2 ? "/sys/fs/cgroup/cpu.max" : "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"])).trim().split(" ")[0];
    for (const q of ["15000", "-1"]) {
      await ok(["update", ...(v2 ? ["--cpu-period", "100000"] : []), "--cpu-quota", q, name]);
      assert.equal((await ok(["inspect", "-f", "{{.HostConfig.CpuQuota}}", name])).trim(), q);
      assert.equal(await read(), q === "-1" && v2 ? "max" : q);
    }
  });

  test("a health probe that times out is reported at once, even when a child holds its output open", async () => {
    const name = uniqueName("hcslow");
    const body = { Image: "busybox", Cmd: ["top"], Healthcheck: { Test: ["CMD", "sh", "-c", "sleep 60"], Interval: 100e6, Timeout: 50e6, Retries: 1 } };
    const c = await api(d.socket, "POST", `/containers/create?name=${name}`, body);
    assert.equal(c.status, 201, c.body);
    cleanup.push(["rm", "-f", name]);
    await ok(["start", name]);
    const log = await waitFor("a probe result", async () => {
      const h = (await api(d.socket, "GET", `/containers/${name}/json`)).json().State.Health;
      return h?.Log?.length ? h.Log : undefined;
    }, 15_000, 100);
    assert.equal(log[log.length - 1].Output, "Health check exceeded timeout (50ms)");
  });
});
