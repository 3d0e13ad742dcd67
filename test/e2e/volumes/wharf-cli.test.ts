import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, WHARF, type TestDaemon } from "../../helpers/daemon.js";

/** wharf's own volume, cp, diff, update, stats and system commands print what docker's do. */
describe("wharf CLI for volumes, files and limits", () => {
  let d: TestDaemon;
  const docker = (...args: string[]) => run("docker", args, { env: d.env });
  const wharf = (...args: string[]) => run(process.execPath, [WHARF, ...args], { env: d.env });
  const name = uniqueName("wcli");
  const vol = uniqueName("wvol");

  before(async () => {
    d = await startTestDaemon();
    assert.equal((await wharf("volume", "create", "--label", "k=v", vol)).stdout.trim(), vol);
    assert.equal((await wharf("run", "-d", "--name", name, "-v", `${vol}:/data`, "-m", "64m", "busybox", "sleep", "300")).code, 0);
  });
  after(async () => {
    await docker("rm", "-f", name);
    await docker("volume", "rm", vol);
    await d?.stop();
  });

  test("volume ls / inspect and system df agree with docker", async () => {
    for (const args of [["volume", "ls"], ["volume", "ls", "-q", "-f", "label=k=v"], ["volume", "inspect", vol], ["system", "df"], ["volume", "rm", vol]]) {
      const [a, b] = await Promise.all([docker(...args), wharf(...args)]);
      assert.equal(b.stdout, a.stdout, `wharf ${args.join(" ")}`);
      assert.equal(b.code, a.code);
    }
  });

  test("cp in and out, diff and update", async () => {
    const dir = `${d.base}/wcli-${uniqueName()}`;
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(`${dir}/a.txt`, "from wharf\n");
    assert.equal((await wharf("cp", `${dir}/a.txt`, `${name}:/data/b.txt`)).code, 0);
    assert.equal((await docker("exec", name, "cat", "/data/b.txt")).stdout, "from wharf\n");
    assert.equal((await wharf("cp", `${name}:/data/b.txt`, `${dir}/c.txt`)).code, 0);
    assert.equal(await fs.readFile(`${dir}/c.txt`, "utf8"), "from wharf\n");
    await docker("exec", name, "touch", "/tmp/y");
    const [a, b] = await Promise.all([docker("diff", name), wharf("diff", name)]);
    assert.equal(b.stdout, a.stdout);
    assert.match(b.stdout, /^A \/tmp\/y$/m);
    const u = await wharf("update", "--memory", "96m", "--memory-swap", "192m", name);
    assert.equal(u.stdout.trim(), name);
    assert.equal((await docker("inspect", "-f", "{{.HostConfig.Memory}}", name)).stdout.trim(), String(96 * 1024 * 1024));
  });

  test("stats --no-stream prints docker's columns", async () => {
    const s = await wharf("stats", "--no-stream", name);
    assert.equal(s.code, 0, s.stderr);
    const lines = s.stdout.trim().split("\n");
    assert.match(lines[0]!, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
    assert.match(lines[1]!, new RegExp(`^[0-9a-f]{12}\\s+${name}\\s+[\\d.]+%\\s+[\\d.]+\\w*B / 96MiB\\s+[\\d.]+%.*\\s1$`));
  });
});
