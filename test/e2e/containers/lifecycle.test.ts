import assert from "node:assert/strict";
import http from "node:http";
import { before, after, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/**
 * Container lifecycle commands of issue #2 through the real docker CLI (raw
 * API where the CLI cannot express it: wait conditions, status codes).
 */
describe("container lifecycle", () => {
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

  test("start -a and start -ai on created containers", async () => {
    const a = uniqueName("start-a");
    await out(["create", "--name", a, "busybox", "sh", "-c", "echo out; echo err >&2; exit 4"]);
    const r = await dk(["start", "-a", a]);
    assert.equal(r.code, 4);
    assert.equal(r.stdout, "out\n");
    assert.equal(r.stderr, "err\n");
    const ai = uniqueName("start-ai");
    await out(["create", "-i", "--name", ai, "busybox", "sh", "-c", "read x; echo got:$x"]);
    const i = await dk(["start", "-ai", ai], { input: "hello\n" });
    assert.equal(i.code, 0, i.stderr);
    assert.equal(i.stdout, "got:hello\n");
    await out(["rm", a, ai]);
  });

  test("restart runs the command again; kill -s reaches a trap; kill returns once exited", async () => {
    const name = uniqueName("restart");
    await out(["run", "-d", "--name", name, "busybox", "sh", "-c", "trap 'echo got-usr1' USR1; echo start; while true; do sleep 0.1; done"]);
    try {
      await waitFor("first start logged", async () => (await dk(["logs", name])).stdout === "start\n");
      const started1 = await out(["inspect", "-f", "{{.State.StartedAt}}", name]);
      assert.equal(await out(["restart", "-t", "1", name]), `${name}\n`);
      assert.equal(await out(["inspect", "-f", "{{.State.Running}}", name]), "true\n");
      assert.notEqual(await out(["inspect", "-f", "{{.State.StartedAt}}", name]), started1);
      await waitFor("second start logged", async () => (await dk(["logs", name])).stdout === "start\nstart\n");
      assert.equal(await out(["kill", "-s", "USR1", name]), `${name}\n`);
      await waitFor("the trap to see USR1", async () => (await dk(["logs", name])).stdout.includes("got-usr1"));
      assert.equal(await out(["inspect", "-f", "{{.State.Running}}", name]), "true\n");
      await out(["kill", name]);
      // dockerd answers a SIGKILL once the exit is recorded.
      assert.equal(await out(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name]), "exited 137\n");
      const again = await dk(["kill", name]);
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /is not running/);
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  test("docker wait prints the exit code; API conditions not-running, next-exit, removed", async () => {
    const name = uniqueName("wait");
    await out(["run", "-d", "--name", name, "busybox", "sh", "-c", "sleep 0.5; exit 5"]);
    assert.equal(await out(["wait", name]), "5\n");
    const notRunning = await api(d.socket, "POST", `/containers/${name}/wait?condition=not-running`);
    assert.equal(notRunning.status, 200);
    assert.deepEqual(notRunning.json(), { StatusCode: 5, Error: null });

    // The wait route sends its headers once the waiter is registered (the docker CLI relies on that too).
    const nextExit = await startWait(d.socket, `/containers/${name}/wait?condition=next-exit`);
    await out(["start", name]);
    const ne = await nextExit.done;
    assert.equal(ne.status, 200);
    assert.equal(JSON.parse(ne.body).StatusCode, 5);

    const removed = await startWait(d.socket, `/containers/${name}/wait?condition=removed`);
    assert.equal(await out(["wait", name]), "5\n");
    assert.equal(removed.finished(), false, "removed waits for the removal, not the exit");
    await out(["rm", name]);
    const rm = await removed.done;
    assert.equal(rm.status, 200);
    assert.equal(JSON.parse(rm.body).StatusCode, 5);
    const missing = await api(d.socket, "POST", `/containers/${name}/wait`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json().message, `No such container: ${name}`);
  });

  test("rename, with docker's errors", async () => {
    const [a, b, c] = [uniqueName("ren-a"), uniqueName("ren-b"), uniqueName("ren-c")];
    await out(["create", "--name", a, "busybox", "true"]);
    await out(["create", "--name", c, "busybox", "true"]);
    try {
      assert.equal(await out(["rename", a, b]), "");
      assert.equal(await out(["ps", "-a", "-f", `name=^${b}$`, "--format", "{{.Names}}"]), `${b}\n`);
      assert.notEqual((await dk(["inspect", a])).code, 0);
      const same = await dk(["rename", b, b]);
      assert.equal(same.stderr, `Error response from daemon: Renaming a container with the same name as its current name\nError: failed to rename container named ${b}\n`);
      const taken = await dk(["rename", b, c]);
      assert.match(taken.stderr, new RegExp(`^Error response from daemon: Error when allocating new name: Conflict\\. The container name "/${c}" is already in use by container "[0-9a-f]{64}"\\. You have to remove \\(or rename\\) that container to be able to reuse that name\\.\\n`));
    } finally {
      await dk(["rm", "-f", a, b, c]);
    }
  });

  test("rm -v removes a container; rm of a running container needs -f", async () => {
    const name = uniqueName("rmv");
    await out(["run", "-d", "--name", name, "busybox", "sleep", "60"]);
    const refused = await dk(["rm", "-v", name]);
    assert.notEqual(refused.code, 0);
    // dockerd 23+ wording (20.10 said "You cannot remove a running container <id>…").
    assert.match(refused.stderr, /Error response from daemon: cannot remove container "\/?[\w-]+": container is running: stop the container before removing or force remove/);
    assert.equal(await out(["rm", "-v", "-f", name]), `${name}\n`);
    assert.notEqual((await dk(["inspect", name])).code, 0);
  });

  test("container prune -f, with and without --filter label=", async () => {
    const label = `prune-${d.id}`;
    const [p1, p2, keep] = [uniqueName("prune1"), uniqueName("prune2"), uniqueName("prune-run")];
    const id1 = (await out(["create", "--name", p1, "-l", `${label}=yes`, "busybox", "true"])).trim();
    const id2 = (await out(["create", "--name", p2, "busybox", "true"])).trim();
    await out(["run", "-d", "--name", keep, "busybox", "sleep", "60"]);
    try {
      const first = await out(["container", "prune", "-f", "--filter", `label=${label}=yes`]);
      assert.equal(first, `Deleted Containers:\n${id1}\n\nTotal reclaimed space: 0B\n`);
      assert.equal(await out(["ps", "-a", "-f", `name=${p2}`, "--format", "{{.Names}}"]), `${p2}\n`);
      const rest = await out(["container", "prune", "-f"]);
      assert.match(rest, new RegExp(`^Deleted Containers:\\n(.*\\n)*${id2}\\n`));
      assert.equal(await out(["inspect", "-f", "{{.State.Running}}", keep]), "true\n", "running containers are not pruned");
    } finally {
      await dk(["rm", "-f", p1, p2, keep]);
    }
  });

  test("image prune -f removes dangling images; rmi of a used image is 409 unless -f", async () => {
    const repo = uniqueName("img");
    const dir = `${d.base}/${repo}`;
    const mk = await run("sh", ["-c", `mkdir -p ${dir}/r && echo a > ${dir}/r/f && tar -C ${dir}/r -cf ${dir}/a.tar . && echo b > ${dir}/r/f && tar -C ${dir}/r -cf ${dir}/b.tar .`]);
    assert.equal(mk.code, 0, mk.stderr);
    const first = (await out(["import", `${dir}/a.tar`, `${repo}:v1`])).trim();
    await out(["import", `${dir}/b.tar`, `${repo}:v1`]);
    assert.equal(await out(["images", "-q", "--no-trunc", "-f", "dangling=true"]), `${first}\n`);
    const pruned = await out(["image", "prune", "-f"]);
    assert.match(pruned, new RegExp(`^Deleted Images:\\ndeleted: ${first}\\n`));
    assert.equal(await out(["images", "-q", "-f", "dangling=true"]), "");
    assert.match(await out(["images", repo]), new RegExp(`^${repo}\\s+v1\\s`, "m"));

    const used = uniqueName("uses-img");
    const cid = (await out(["create", "--name", used, `${repo}:v1`, "true"])).trim();
    try {
      const r = await api(d.socket, "DELETE", `/images/${repo}:v1`);
      assert.equal(r.status, 409);
      const imageId = (await out(["inspect", "-f", "{{.Id}}", `${repo}:v1`])).trim();
      assert.equal(r.json().message, `conflict: unable to remove repository reference "${repo}:v1" (must force) - container ${cid.slice(0, 12)} is using its referenced image ${imageId.slice(7, 19)}`);
      const cli = await dk(["rmi", `${repo}:v1`]);
      assert.equal(cli.code, 1);
      assert.match(cli.stderr, /^Error response from daemon: conflict: unable to remove repository reference/);
      const forced = await out(["rmi", "-f", `${repo}:v1`]);
      assert.equal(forced, `Untagged: ${repo}:v1\nDeleted: ${imageId}\n`);
      // Like dockerd, ps shows the image ID once the name no longer points at the container's image.
      assert.equal(await out(["ps", "-a", "-f", `name=${used}`, "--format", "{{.Image}}"]), `${imageId.slice(7, 19)}\n`);
    } finally {
      await dk(["rm", "-f", used]);
    }
  });

  test("ps -a filters: status, name, id, ancestor, exited, before, since; {{json .}}; -s", async () => {
    const p = uniqueName("psf");
    const [created, ok, fail, up] = [`${p}-created`, `${p}-ok`, `${p}-fail`, `${p}-up`];
    await out(["create", "--name", created, "busybox", "true"]);
    assert.equal((await dk(["run", "--name", ok, "busybox", "sh", "-c", "head -c 300000 /dev/zero > /big"])).code, 0);
    assert.equal((await dk(["run", "--name", fail, "busybox", "sh", "-c", "exit 3"])).code, 3);
    await out(["run", "-d", "--name", up, "busybox", "sleep", "60"]);
    const names = async (...filters: string[]) =>
      // Filters of one key are OR'ed: scope to this test's containers only when no name filter is given.
      (await out(["ps", "-a", ...[...filters, ...(filters.some((f) => f.startsWith("name=")) ? [] : [`name=${p}`])].flatMap((f) => ["-f", f]), "--format", "{{.Names}}"])).split("\n").filter(Boolean);
    try {
      assert.deepEqual(await names("status=created"), [created]);
      assert.deepEqual(await names("status=exited"), [fail, ok]);
      assert.deepEqual(await names("status=running"), [up]);
      assert.deepEqual(await names(`name=${ok}`), [ok]);
      assert.deepEqual(await names("exited=0"), [ok]);
      assert.deepEqual(await names("exited=3"), [fail]);
      assert.deepEqual(await names("ancestor=busybox"), [up, fail, ok, created]);
      assert.deepEqual(await names(`before=${fail}`), [ok, created]);
      assert.deepEqual(await names(`since=${ok}`), [up, fail]);
      const id = (await out(["inspect", "-f", "{{.Id}}", fail])).trim();
      assert.deepEqual(await names(`id=${id.slice(0, 8)}`), [fail]);
      assert.deepEqual((await out(["ps", "-f", `name=${p}`, "--format", "{{.Names}}"])).split("\n").filter(Boolean), [up], "without -a only running");

      const json = JSON.parse(await out(["ps", "-a", "-f", `name=${fail}`, "--format", "{{json .}}"]));
      assert.equal(json.Names, fail);
      assert.equal(json.ID, id.slice(0, 12));
      assert.equal(json.Image, "busybox");
      assert.equal(json.Command, `"sh -c 'exit 3'"`);
      assert.equal(json.State, "exited");
      assert.match(json.Status, /^Exited \(3\) /);

      const sized = await out(["ps", "-a", "-s", "-f", `name=${ok}`]);
      assert.match(sized.split("\n")[0]!, /\sNAMES\s+SIZE$/);
      // 300 kB written; the virtual size adds busybox (about 2 MB, its applets are hard links counted once).
      const m = sized.split("\n")[1]!.match(/(\d+)kB \(virtual ([\d.]+)MB\)$/);
      assert.ok(m, sized);
      assert.ok(Number(m[1]) >= 300 && Number(m[1]) < 400, sized);
      assert.ok(Number(m[2]) > 1 && Number(m[2]) < 10, sized);
    } finally {
      await dk(["rm", "-f", created, ok, fail, up]);
    }
  });
});

/** POST a wait request; resolves once the response headers arrived, `done` when the body ends. */
function startWait(socketPath: string, path: string): Promise<{ done: Promise<{ status: number; body: string }>; finished: () => boolean }> {
  return new Promise((resolveHeaders, reject) => {
    let finished = false;
    const req = http.request({ socketPath, method: "POST", path }, (res) => {
      const done = new Promise<{ status: number; body: string }>((resolve) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => {
          finished = true;
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      resolveHeaders({ done, finished: () => finished });
    });
    req.on("error", reject);
    req.end();
  });
}
