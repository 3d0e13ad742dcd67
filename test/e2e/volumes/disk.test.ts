import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BUSYBOX_TAR, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";

/** docker system df and system prune, through the real docker CLI. */
describe("disk usage", () => {
  let d: TestDaemon;
  const docker = (...args: string[]) => run("docker", args, { env: d.env });

  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  test("system df counts images, containers and volumes; system prune -a --volumes -f leaves what running containers use", async () => {
    const running = uniqueName("keep");
    const stopped = uniqueName("gone");
    const usedVol = uniqueName("used");
    const extraImage = `${uniqueName("extra")}:latest`;
    assert.equal((await docker("import", "-c", 'CMD ["true"]', BUSYBOX_TAR, extraImage)).code, 0);
    assert.equal((await docker("run", "-d", "--name", running, "-v", `${usedVol}:/data`, "-v", "/anon-kept", "busybox", "sleep", "300")).code, 0);
    assert.equal((await docker("run", "--name", stopped, "-v", "/anon-gone", "busybox", "true")).code, 0);

    const df = await docker("system", "df", "--format", "{{.Type}}|{{.TotalCount}}|{{.Active}}");
    assert.equal(df.code, 0, df.stderr);
    const rows = Object.fromEntries(df.stdout.trim().split("\n").map((l) => { const [t, total, active] = l.split("|"); return [t, [Number(total), Number(active)]]; }));
    assert.deepEqual(rows["Images"], [2, 1]);
    assert.deepEqual(rows["Containers"], [2, 1]);
    assert.deepEqual(rows["Local Volumes"], [3, 3], "a stopped container still references its volume");
    const verbose = await docker("system", "df", "-v");
    assert.match(verbose.stdout, new RegExp(`${usedVol}\\s+1\\s`));

    const prune = await docker("system", "prune", "-a", "--volumes", "-f");
    assert.equal(prune.code, 0, prune.stderr);
    assert.deepEqual((await docker("ps", "-a", "--format", "{{.Names}}")).stdout.trim().split("\n"), [running]);
    assert.deepEqual((await docker("images", "--format", "{{.Repository}}")).stdout.trim().split("\n"), ["busybox"]);
    const vols = (await docker("volume", "ls", "-q")).stdout.trim().split("\n").sort();
    const inUse = JSON.parse((await docker("inspect", running)).stdout)[0].Mounts.map((m: { Name: string }) => m.Name).sort();
    assert.deepEqual(vols, inUse);
    await docker("rm", "-f", "-v", running);
    await docker("volume", "rm", usedVol);
  });
});
