import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

describe("--init and events", () => {
  let d: TestDaemon;
  const docker = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("--init runs the init as PID 1", async () => {
    const r = await docker(["run", "--init", "--rm", "busybox", "ps", "-o", "pid,comm,args"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\s*1\s+docker-init\s+\/sbin\/docker-init -- ps/m);
  });

  // A child orphaned into PID 1 becomes a zombie unless PID 1 reaps it.
  const zombieMaker = ["sh", "-c", "(sleep 0.1 &); exec sleep 60"];
  const zombies = async (name: string) => (await docker(["exec", name, "ps", "-o", "stat,comm"])).stdout.split("\n").filter((l) => /^\s*Z/.test(l)).length;

  test("the zombie-making workload leaves zombies without --init and none with it", async () => {
    const without = uniqueName("noinit");
    const withInit = uniqueName("init");
    assert.equal((await docker(["run", "-d", "--name", without, "busybox", ...zombieMaker])).code, 0);
    assert.equal((await docker(["run", "-d", "--init", "--name", withInit, "busybox", ...zombieMaker])).code, 0);
    try {
      await waitFor("a zombie without an init", async () => (await zombies(without)) > 0);
      await waitFor("the orphan to have exited under the init", async () => !/^sleep\s+sleep 0\.1\s*$/m.test((await docker(["exec", withInit, "ps", "-o", "comm,args"])).stdout));
      assert.equal(await zombies(withInit), 0);
    } finally {
      await docker(["rm", "-f", without, withInit]);
    }
  });

  test("events --since/--until show a run --rm's lifecycle, and filters narrow them", async () => {
    const name = uniqueName("ev");
    const since = (Date.now() / 1000 - 1).toFixed(3);
    assert.equal((await docker(["run", "--rm", "--name", name, "busybox", "sh", "-c", "exit 4"])).code, 4);
    const until = (Date.now() / 1000 + 1).toFixed(3);
    const all = await docker(["events", "--since", since, "--until", until, "--filter", `container=${name}`, "--format", "{{.Action}} {{index .Actor.Attributes \"exitCode\"}}"]);
    assert.equal(all.code, 0, all.stderr);
    const actions = all.stdout.trim().split("\n").map((l) => l.split(" ")[0]);
    for (const a of ["create", "start", "die", "destroy"]) assert.ok(actions.includes(a), `${a} in ${actions}`);
    assert.ok(actions.indexOf("create") < actions.indexOf("start") && actions.indexOf("start") < actions.indexOf("die") && actions.indexOf("die") < actions.indexOf("destroy"));
    assert.match(all.stdout, /^die 4$/m);
    const dies = await docker(["events", "--since", since, "--until", until, "--filter", `container=${name}`, "--filter", "event=die"]);
    const lines = dies.stdout.trim().split("\n");
    assert.equal(lines.length, 1, dies.stdout);
    assert.match(lines[0], new RegExp(`container die [0-9a-f]{64} \\(exitCode=4, image=busybox, name=${name}\\)$`));
  });

  test("events survive a daemon restart (on-disk journal)", async () => {
    const name = uniqueName("evj");
    const since = (Date.now() / 1000 - 1).toFixed(3);
    assert.equal((await docker(["create", "--name", name, "busybox", "true"])).code, 0);
    await d.kill9();
    await d.start();
    const r = await docker(["events", "--since", since, "--until", (Date.now() / 1000).toFixed(3), "--filter", `container=${name}`, "--format", "{{.Action}}"]);
    assert.match(r.stdout, /^create$/m);
    await docker(["rm", name]);
  });
});
