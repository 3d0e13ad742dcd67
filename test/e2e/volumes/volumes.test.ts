import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";

/** Named, anonymous and bind volumes, tmpfs and --read-only, through the real docker CLI. */
describe("volumes", () => {
  let d: TestDaemon;
  let dir: string;
  const docker = (...args: string[]) => run("docker", args, { env: d.env });

  before(async () => {
    d = await startTestDaemon();
    dir = `${d.base}/bind-${uniqueName()}`;
    await fs.mkdir(dir, { recursive: true });
  });
  after(async () => {
    await d?.stop();
  });

  test("data written to a named volume is read by the next container; rm of a used volume fails; prune keeps it", async () => {
    const vol = uniqueName("data");
    const name = uniqueName("user");
    assert.equal((await docker("volume", "create", vol)).stdout.trim(), vol);
    const w = await docker("run", "--rm", "--mount", `source=${vol},target=/app`, "busybox", "sh", "-c", "echo persisted > /app/f");
    assert.equal(w.code, 0, w.stderr);
    const r = await docker("run", "--rm", "-v", `${vol}:/data`, "busybox", "cat", "/data/f");
    assert.equal(r.stdout.trim(), "persisted");

    assert.equal((await docker("run", "-d", "--name", name, "-v", `${vol}:/data`, "busybox", "sleep", "300")).code, 0);
    const rm = await docker("volume", "rm", vol);
    assert.notEqual(rm.code, 0);
    assert.match(rm.stderr, new RegExp(`remove ${vol}: volume is in use`));
    const direct = await api(d.socket, "DELETE", `/volumes/${vol}`);
    assert.equal(direct.status, 409);

    const unused = uniqueName("unused");
    await docker("volume", "create", unused);
    const prune = await docker("volume", "prune", "-a", "-f");
    assert.equal(prune.code, 0, prune.stderr);
    assert.match(prune.stdout, new RegExp(unused));
    const ls = await docker("volume", "ls", "--format", "{{.Name}}");
    assert.ok(ls.stdout.split("\n").includes(vol), "a volume in use survives prune");
    assert.ok(!ls.stdout.split("\n").includes(unused));

    const inspect = JSON.parse((await docker("inspect", name)).stdout)[0];
    assert.deepEqual(inspect.Mounts.map((m: { Type: string; Name: string; Destination: string }) => [m.Type, m.Name, m.Destination]), [["volume", vol, "/data"]]);
    const filtered = await docker("ps", "-f", `volume=${vol}`, "--format", "{{.Names}}");
    assert.equal(filtered.stdout.trim(), name);
    await docker("rm", "-f", name);
    assert.equal((await docker("volume", "rm", vol)).code, 0);
  });

  test("a new named volume on an image path shows the image's files", async () => {
    const vol = uniqueName("etc");
    const r = await docker("run", "--rm", "-v", `${vol}:/bin`, "busybox", "/bin/ls", "/bin");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\bsh\b/);
    const again = await docker("run", "--rm", "-v", `${vol}:/x`, "busybox", "ls", "/x");
    assert.match(again.stdout, /\bbusybox\b/, "the files were copied into the volume itself");
    await docker("volume", "rm", vol);
  });

  test("--read-only with a bind and --tmpfs: / refuses writes, /data and /tmp accept them; :ro binds refuse", async () => {
    const r = await docker(
      "run", "--rm", "--read-only=true", "-v", `${dir}:/data`, "--tmpfs", "/tmp", "busybox", "sh", "-c",
      "touch /x 2>/dev/null && echo root-writable; echo a > /data/a && echo data-ok; echo b > /tmp/b && echo tmp-ok",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n"), ["data-ok", "tmp-ok"]);
    assert.equal(await fs.readFile(`${dir}/a`, "utf8"), "a\n");
    const ro = await docker("run", "--rm", "-v", `${dir}:/data:ro`, "busybox", "sh", "-c", "echo c > /data/c");
    assert.notEqual(ro.code, 0);
    assert.match(ro.stderr, /Read-only file system/);
    await assert.rejects(fs.stat(`${dir}/c`));
  });

  test("a missing bind source dir is created; anonymous volumes go with rm -v", async () => {
    const missing = `${d.base}/made-${uniqueName()}`;
    assert.equal((await docker("run", "--rm", "-v", `${missing}:/m`, "busybox", "true")).code, 0);
    assert.ok((await fs.stat(missing)).isDirectory());
    const name = uniqueName("anon");
    assert.equal((await docker("create", "--name", name, "-v", "/anon", "busybox", "true")).code, 0);
    const anon = JSON.parse((await docker("inspect", name)).stdout)[0].Mounts[0].Name as string;
    assert.match(anon, /^[0-9a-f]{64}$/);
    assert.equal((await docker("volume", "inspect", anon)).code, 0);
    assert.equal((await docker("rm", "-v", name)).code, 0);
    assert.notEqual((await docker("volume", "inspect", anon)).code, 0);
  });

  test("volume API: ls filters, inspect, invalid names, --volumes-from", async () => {
    const vol = uniqueName("lab");
    await docker("volume", "create", "--label", "team=a", vol);
    const byLabel = await docker("volume", "ls", "-q", "-f", "label=team=a");
    assert.deepEqual(byLabel.stdout.trim().split("\n"), [vol]);
    const dangling = await docker("volume", "ls", "-q", "-f", "dangling=true", "-f", `name=${vol}`);
    assert.equal(dangling.stdout.trim(), vol);
    const bad = await docker("volume", "create", "a");
    assert.match(bad.stderr, /volume name is too short/);
    const src = uniqueName("src");
    await docker("run", "--name", src, "-v", `${vol}:/shared`, "busybox", "sh", "-c", "echo from-src > /shared/f");
    const r = await docker("run", "--rm", "--volumes-from", `${src}:ro`, "busybox", "sh", "-c", "cat /shared/f; echo x > /shared/g");
    assert.match(r.stdout, /from-src/);
    assert.match(r.stderr, /Read-only file system/);
    await docker("rm", src);
    assert.equal((await docker("volume", "rm", vol)).code, 0);
    assert.equal((await docker("volume", "inspect", vol)).code, 1);
  });
});
