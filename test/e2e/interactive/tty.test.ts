import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { Tmux } from "../../helpers/tmux.js";

describe("interactive TTY through the real docker CLI under tmux", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("run -ti: typing, stty size, resize, detach with ctrl-p ctrl-q, attach again, exit removes", async () => {
    const name = uniqueName("tty");
    const t = new Tmux(d.env);
    try {
      await t.start(`docker run --rm -ti --name ${name} busybox sh`);
      await t.waitPane("the shell prompt", /^\/ #/m);
      await t.keys("echo $((6*7))", "Enter");
      await t.waitPane("42", /^42$/m);
      await t.keys("stty size", "Enter");
      await t.waitPane("the pane size", /^30 100$/m);
      await t.resize(120, 40);
      await waitFor("the new size inside", async () => {
        await t.keys("stty size", "Enter");
        await new Promise((r) => setTimeout(r, 200));
        return /^40 120$/m.test(await t.pane());
      });
      await t.keys("C-p", "C-q");
      await t.waitPane("the CLI to exit after detaching", /EXIT=0/);
      const ps = await run("docker", ["ps", "--filter", `name=${name}`, "--format", "{{.Status}}"], { env: d.env });
      assert.match(ps.stdout, /^Up /, "the container keeps running after detach");
      await t.kill();

      const t2 = new Tmux(d.env);
      await t2.start(`docker attach ${name}`);
      await waitFor("attach to re-enter the shell", async () => {
        await t2.keys("echo again-$((1+1))", "Enter");
        await new Promise((r) => setTimeout(r, 200));
        return /^again-2$/m.test(await t2.pane());
      });
      await t2.keys("exit", "Enter");
      await t2.waitPane("attach to end", /EXIT=0/);
      await t2.kill();
      await waitFor("--rm to remove the container", async () => (await run("docker", ["inspect", name], { env: d.env })).code !== 0);
    } finally {
      await t.kill();
      await run("docker", ["rm", "-f", name], { env: d.env });
    }
  });

  test("exec -it gets a /dev/pts terminal", async () => {
    const name = uniqueName("exectty");
    assert.equal((await run("docker", ["run", "-d", "--name", name, "busybox", "sleep", "60"], { env: d.env })).code, 0);
    const t = new Tmux(d.env);
    try {
      await t.start(`docker exec -it ${name} sh -c tty`);
      await t.waitPane("a pts path", /^\/dev\/pts\/\d+\s*$/m);
      await t.waitPane("exit 0", /EXIT=0/);
    } finally {
      await t.kill();
      await run("docker", ["rm", "-f", name], { env: d.env });
    }
  });
});
