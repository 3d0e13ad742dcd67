import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/** docker cp / diff / export through the archive API, confined to the container. */
describe("container files", () => {
  let d: TestDaemon;
  let work: string;
  const docker = (...args: string[]) => run("docker", args, { env: d.env });
  const name = uniqueName("files");

  before(async () => {
    d = await startTestDaemon();
    work = `${d.base}/work-${uniqueName()}`;
    await fs.mkdir(work, { recursive: true });
    const r = await docker("run", "-d", "--name", name, "-v", `${uniqueName("fv")}:/vol`, "busybox", "sleep", "300");
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await docker("rm", "-f", "-v", name);
    await d?.stop();
  });

  test("cp a file in and out, and through a mounted volume", async () => {
    await fs.writeFile(`${work}/in.txt`, "copied in\n");
    assert.equal((await docker("cp", `${work}/in.txt`, `${name}:/tmp/in.txt`)).code, 0);
    assert.equal((await docker("exec", name, "cat", "/tmp/in.txt")).stdout, "copied in\n");
    const out = await docker("cp", `${name}:/etc/passwd`, `${work}/passwd`);
    assert.equal(out.code, 0, out.stderr);
    assert.match(await fs.readFile(`${work}/passwd`, "utf8"), /^root:x:0:0/);
    assert.equal((await docker("cp", `${work}/in.txt`, `${name}:/vol/`)).code, 0);
    assert.equal((await docker("exec", name, "cat", "/vol/in.txt")).stdout, "copied in\n");
    const head = await api(d.socket, "HEAD", `/containers/${name}/archive?path=/etc/passwd`);
    assert.equal(head.status, 200);
    const stat = JSON.parse(Buffer.from(String(head.headers["x-docker-container-path-stat"]), "base64").toString());
    assert.equal(stat.name, "passwd");
    assert.equal(stat.mode, 0o644);
    const missing = await api(d.socket, "HEAD", `/containers/${name}/archive?path=/nope`);
    assert.equal(missing.status, 404);
  });

  test("cp with - streams a tar both ways", async () => {
    const t = await run("sh", ["-c", `cd ${work} && printf 'tarred\\n' > t.txt && tar -cf - t.txt | DOCKER_HOST=${d.host} docker cp - ${name}:/tmp`]);
    assert.equal(t.code, 0, t.stderr);
    assert.equal((await docker("exec", name, "cat", "/tmp/t.txt")).stdout, "tarred\n");
    const list = await run("sh", ["-c", `DOCKER_HOST=${d.host} docker cp ${name}:/tmp/t.txt - | tar -tf -`]);
    assert.equal(list.stdout.trim(), "t.txt");
  });

  test("../ paths and a symlink to / never reach the host", async () => {
    const marker = `/tmp/wharf-host-marker-${uniqueName()}`;
    await fs.writeFile(marker, "host secret\n");
    try {
      // ../../ climbs no higher than the container's root.
      const up = await docker("cp", `${name}:../../../etc/passwd`, `${work}/up-passwd`);
      assert.equal(up.code, 0, up.stderr);
      assert.equal(await fs.readFile(`${work}/up-passwd`, "utf8"), await fs.readFile(`${work}/passwd`, "utf8"));
      // A link to / inside the container resolves to the container's root.
      assert.equal((await docker("exec", name, "ln", "-s", "/", "/tmp/root")).code, 0);
      const viaLink = await docker("cp", `${name}:/tmp/root${marker}`, `${work}/x`);
      assert.notEqual(viaLink.code, 0, "the host's file is not visible through the link");
      await fs.writeFile(`${work}/evil.txt`, "evil\n");
      const intoLink = await docker("cp", `${work}/evil.txt`, `${name}:/tmp/root/../../../tmp/`);
      assert.equal(intoLink.code, 0, intoLink.stderr);
      await assert.rejects(fs.stat("/tmp/evil.txt"));
      assert.equal((await docker("exec", name, "cat", "/tmp/evil.txt")).stdout, "evil\n");
      const hostRead = await api(d.socket, "GET", `/containers/${name}/archive?path=${encodeURIComponent("/tmp/root/../../.." + marker)}`);
      assert.equal(hostRead.status, 404);
    } finally {
      await fs.rm(marker, { force: true });
    }
  });

  test("cp into a stopped container", async () => {
    const stopped = uniqueName("stopped");
    assert.equal((await docker("create", "--name", stopped, "busybox", "cat", "/in.txt")).code, 0);
    try {
      assert.equal((await docker("cp", `${work}/in.txt`, `${stopped}:/in.txt`)).code, 0);
      const r = await docker("start", "-a", stopped);
      assert.equal(r.stdout, "copied in\n");
    } finally {
      await docker("rm", "-f", stopped);
    }
  });

  test("diff lists C /tmp and A /tmp/x after touch /tmp/x; export is a tar of the rootfs", async () => {
    const c = uniqueName("diff");
    assert.equal((await docker("run", "--name", c, "busybox", "touch", "/tmp/x")).code, 0);
    try {
      const diff = await docker("diff", c);
      assert.equal(diff.code, 0, diff.stderr);
      assert.deepEqual(diff.stdout.trim().split("\n"), ["C /tmp", "A /tmp/x"]);
      const rmd = uniqueName("del");
      await docker("run", "--name", rmd, "busybox", "rm", "/etc/group");
      assert.match((await docker("diff", rmd)).stdout, /^D \/etc\/group$/m);
      await docker("rm", rmd);
      const exp = await run("sh", ["-c", `DOCKER_HOST=${d.host} docker export ${c} | tar -tf -`]);
      assert.equal(exp.code, 0, exp.stderr);
      const entries = exp.stdout.split("\n");
      assert.ok(entries.includes("tmp/x"));
      assert.ok(entries.includes("bin/busybox"));
    } finally {
      await docker("rm", c);
    }
  });

  test("the container keeps running through it all", async () => {
    await waitFor("container running", async () => (await docker("inspect", "-f", "{{.State.Running}}", name)).stdout.trim() === "true");
  });
});
