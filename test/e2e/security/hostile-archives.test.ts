import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { Canary } from "../../helpers/canary.js";
import { run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { hostileTars, type HostileTar, type Outcome } from "../../helpers/hostile-tars.js";
import { dockerArchive, rawTar } from "../../helpers/raw-tar.js";
import { startWharfRegistry, type TestRegistry } from "../registry/registries.js";
import { pushCraftedImage } from "./crafted-image.js";
import { apiRaw, outcomeOf } from "./escape-helpers.js";

function expectOutcome(got: "ok" | "error", want: Outcome, what: string): void {
  if (want === "refused") assert.equal(got, "error", `${what}: dockerd refuses this archive`);
  if (want === "contained") assert.equal(got, "ok", `${what}: dockerd applies this archive`);
}

/**
 * Hostile archives through every door (issue 17): `docker load`, `docker
 * import`, `cp` into running and stopped containers, build contexts and
 * ADD, and layers pulled from a registry. dockerd 20.10's answers (checked
 * by hand against it) are the expectation; in every case nothing is written
 * outside the data-root (the canary is checked after each test), the answer
 * is bounded and the daemon stays up.
 */
describe("hostile archives", () => {
  let d: TestDaemon;
  let reg: TestRegistry;
  const canary = new Canary();
  const box = uniqueName("hostile");
  const stopped = uniqueName("hostile-stopped");
  const docker = (...args: string[]) => run("docker", args, { env: { ...d.env, DOCKER_BUILDKIT: "0" }, timeoutMs: 120_000 });
  let cases: HostileTar[];

  before(async () => {
    await canary.create();
    cases = hostileTars(canary.dir);
    d = await startTestDaemon();
    reg = await startWharfRegistry();
    assert.equal((await docker("run", "-d", "--network", "none", "--name", box, "busybox", "sleep", "600")).code, 0);
    assert.equal((await docker("create", "--network", "none", "--name", stopped, "busybox", "sleep", "600")).code, 0);
  });
  afterEach(async () => {
    await canary.check();
    assert.equal((await apiRaw(d.socket, "GET", "/_ping")).status, 200, "the daemon is alive");
  });
  after(async () => {
    await docker("rm", "-f", box, stopped).catch(() => undefined);
    await reg?.stop();
    await d?.stop();
    try {
      await canary.check("after the daemon stopped");
    } finally {
      await canary.remove();
    }
  });

  test("docker import: each hostile archive is applied inside its layer or refused", async () => {
    for (const h of cases) {
      const r = await apiRaw(d.socket, "POST", `/images/create?fromSrc=-&repo=hostile-import&tag=${h.name}`, h.tar);
      expectOutcome(outcomeOf(r, `import ${h.name}`), h.layer, `import ${h.name}`);
      await canary.check(`import ${h.name}`);
    }
    // What a kept archive holds, as dockerd keeps it: devices, a FIFO, setuid and setgid bits.
    const tagged = "hostile-import:devices-fifo-setuid";
    const sh = await docker("create", "--name", uniqueName("inspect"), tagged, "x");
    assert.equal(sh.code, 0, sh.stderr);
    const id = sh.stdout.trim();
    const out = await run("sh", ["-c", `docker export ${id} | tar -tvf -`], { env: d.env });
    await docker("rm", id);
    assert.match(out.stdout, /^c[rw-]{9} 0\/0 +1,\s*3 .* dev\/evilnull$/m);
    assert.match(out.stdout, /^b[rw-]{9} 0\/0 +8,\s*0 .* dev\/evilsda$/m);
    assert.match(out.stdout, /^p[rw-]{9} .* dev\/fifo$/m);
    assert.match(out.stdout, /^-rwsr-xr-x .* suid$/m);
    assert.match(out.stdout, /^-rwxr-sr-x .* sgid$/m);
  });

  test("docker load: hostile layers, and hostile archives around them", async () => {
    for (const h of cases) {
      const r = await apiRaw(d.socket, "POST", "/images/load?quiet=1", dockerArchive(h.tar, `hostile-load:${h.name}`));
      assert.equal(r.status, 200, "dockerd answers load with a stream");
      expectOutcome(outcomeOf(r, `load ${h.name}`), h.layer, `load ${h.name}`);
      await canary.check(`load ${h.name}`);
    }
    const config = JSON.stringify({ rootfs: { type: "layers", diff_ids: ["sha256:" + "0".repeat(64)] } });
    const outer: [string, Buffer][] = [
      // The manifest, or a layer the manifest names, is a link to a host file; the config path climbs out.
      ["manifest-link", rawTar([{ name: "manifest.json", type: "2", linkname: `${canary.dir}/${canary.secretName}` }])],
      ["layer-link", rawTar([
        { name: "c.json", body: config },
        { name: "l", type: "2", linkname: canary.dir },
        { name: "manifest.json", body: JSON.stringify([{ Config: "c.json", Layers: [`l/${canary.secretName}`] }]) },
      ])],
      ["config-escape", rawTar([{ name: "manifest.json", body: JSON.stringify([{ Config: `../../../../..${canary.dir}/${canary.secretName}`, Layers: [] }]) }])],
      ["manifest-types", rawTar([{ name: "manifest.json", body: JSON.stringify([{ Config: 5, Layers: "x" }]) }])],
      ["manifest-junk", rawTar([{ name: "manifest.json", body: "{not json" }])],
      ["index-junk", rawTar([{ name: "index.json", body: JSON.stringify({ manifests: [{ digest: "../../etc" }] }) }])],
      ["empty", Buffer.alloc(0)],
    ];
    for (const [name, tar] of outer) {
      const r = await apiRaw(d.socket, "POST", "/images/load?quiet=1", tar);
      assert.equal(outcomeOf(r, `load ${name}`), "error", `load ${name}`);
      canary.assertNotLeaked(r.body, `load ${name}`);
      await canary.check(`load ${name}`);
    }
  });

  test("cp into a running and a stopped container", async () => {
    for (const target of [box, stopped]) {
      for (const h of cases) {
        const dir = `/cp-${h.name}`;
        assert.equal((await apiRaw(d.socket, "PUT", `/containers/${target}/archive?path=/`, rawTar([{ name: `${dir.slice(1)}/`, type: "5" }]))).status, 200);
        const r = await apiRaw(d.socket, "PUT", `/containers/${target}/archive?path=${encodeURIComponent(dir)}`, h.tar);
        expectOutcome(outcomeOf(r, `cp ${h.name} into ${target}`), h.cp, `cp ${h.name} into ${target}`);
        await canary.check(`cp ${h.name} into ${target}`);
      }
    }
    // Devices and setuid bits are kept, as dockerd (running as root) keeps them.
    const st = await docker("exec", box, "stat", "-c", "%A %t:%T", "/cp-devices-fifo-setuid/dev/evilnull", "/cp-devices-fifo-setuid/suid");
    assert.equal(st.code, 0, st.stderr);
    assert.deepEqual(st.stdout.trim().split("\n"), ["crw-rw-rw- 1:3", "-rwsr-xr-x 0:0"]);
    const n = await docker("exec", box, "sh", "-c", "ls /cp-many-entries/many | wc -l");
    assert.equal(n.stdout.trim(), "4000");
  });

  test("build contexts and ADD", async () => {
    for (const h of cases) {
      const r = await apiRaw(d.socket, "POST", `/build?t=${uniqueName("hctx")}`, h.tar, { "Content-Type": "application/x-tar" });
      // Either the context is refused or it holds no Dockerfile: both are bounded errors.
      assert.equal(outcomeOf(r, `build context ${h.name}`), "error");
      await canary.check(`build context ${h.name}`);
    }
    const dir = `${d.base}/add-ctx`;
    await fs.mkdir(dir, { recursive: true });
    for (const h of cases.filter((c) => ["dotdot", "symlink-absolute-then-file", "hardlink-relative-out", "devices-fifo-setuid", "deep-nesting"].includes(c.name))) {
      await fs.writeFile(path.join(dir, "h.tar"), h.tar);
      await fs.writeFile(path.join(dir, "Dockerfile"), "FROM busybox\nADD h.tar /add/\n");
      const b = await docker("build", "-t", uniqueName("hadd"), dir);
      expectOutcome(b.code === 0 ? "ok" : "error", h.cp === "either" ? "either" : h.layer === "refused" ? "refused" : "either", `ADD ${h.name}`);
      assert.doesNotMatch(b.stdout + b.stderr, /TypeError|RangeError/);
      await canary.check(`ADD ${h.name}`);
    }
  });

  test("layers pulled from a registry", async () => {
    for (const h of cases.filter((c) => ["dotdot", "symlink-absolute-then-file", "hardlink-relative-out", "devices-fifo-setuid", "pax-odd-keys", "not-a-tar"].includes(c.name))) {
      const repo = `hostile/${h.name}`;
      await pushCraftedImage(reg.host, repo, "t", h.tar);
      const r = await apiRaw(d.socket, "POST", `/images/create?fromImage=${encodeURIComponent(`${reg.host}/${repo}`)}&tag=t`);
      expectOutcome(outcomeOf(r, `pull ${h.name}`), h.layer, `pull ${h.name}`);
      await canary.check(`pull ${h.name}`);
    }
  });
});
