import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, afterEach, before, describe, test } from "node:test";
import { Canary } from "../../helpers/canary.js";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { apiRaw, buildTar, LINKS, manyFiles, messageOf, plantLinksScript, swapLoopScript } from "./escape-helpers.js";

/**
 * The `docker cp` escape (issue 17): a container plants symlinks to a host
 * directory; copying into or out of the container through them must resolve
 * them inside the container, for the docker CLI and the raw archive API,
 * running and stopped containers, and while the container swaps a
 * directory for a link during the copy. The canary (a host directory outside
 * the data-root) is checked after every test.
 */
describe("cp and the archive API stay inside the container", () => {
  let d: TestDaemon;
  const canary = new Canary();
  let work: string;
  const box = uniqueName("esc");
  const docker = (...args: string[]) => run("docker", args, { env: d.env, timeoutMs: 120_000 });
  const sh = (script: string) => run("sh", ["-c", script], { env: d.env, timeoutMs: 120_000 });

  before(async () => {
    await canary.create();
    d = await startTestDaemon();
    work = `${d.base}/work`;
    await fs.mkdir(work, { recursive: true });
    await fs.writeFile(`${work}/w1`, "from the host\n");
    const r = await docker("run", "-d", "--network", "none", "--name", box, "busybox", "sleep", "600");
    assert.equal(r.code, 0, r.stderr);
    const plant = await docker("exec", box, "sh", "-c", plantLinksScript(canary));
    assert.equal(plant.code, 0, plant.stderr);
  });
  afterEach(async () => canary.check());
  after(async () => {
    await docker("rm", "-f", box).catch(() => undefined);
    await d?.stop();
    try {
      await canary.check("after the daemon stopped");
    } finally {
      await canary.remove();
    }
  });

  test("docker cp into a path through a link: absolute, relative, chained", async () => {
    for (const link of LINKS) {
      const r = await docker("cp", `${work}/w1`, `${box}:${link}/w1`);
      // The link leads to a directory the container does not have: Docker's answer is "not found".
      assert.notEqual(r.code, 0, `${link}: ${r.stdout}`);
      assert.match(r.stderr, /Could not find the file/);
      await canary.check(`docker cp into ${link}/w1`);
    }
  });

  test("cp -a and a tar on stdin (cp -) through the links", async () => {
    for (const link of LINKS) {
      const a = await docker("cp", "-a", `${work}/w1`, `${box}:${link}/w1`);
      assert.notEqual(a.code, 0, `cp -a ${link}: ${a.stdout}`);
      const t = await sh(`cd ${work} && tar -cf - w1 | docker cp - ${box}:${link}`);
      assert.notEqual(t.code, 0, `cp - ${link}: ${t.stdout}`);
      const t2 = await sh(`cd ${work} && tar -cf - w1 | docker cp - ${box}:${link}/`);
      assert.notEqual(t2.code, 0);
      await canary.check(`cp -a / cp - into ${link}`);
    }
  });

  test("docker cp onto the link itself writes inside the container", async () => {
    for (const link of LINKS) {
      const r = await docker("cp", `${work}/w1`, `${box}:${link}`);
      assert.equal(r.code, 0, r.stderr);
      await canary.check(`docker cp onto ${link}`);
    }
    // The CLI followed the link to its target inside the container: a new file there.
    const inside = await docker("exec", box, "cat", canary.dir);
    assert.equal(inside.stdout, "from the host\n");
    await docker("exec", box, "rm", "-f", canary.dir);
  });

  test("a link whose target exists inside the container is followed there", async () => {
    assert.equal((await docker("exec", box, "mkdir", "-p", canary.dir)).code, 0);
    try {
      for (const link of LINKS) {
        const r = await docker("cp", `${work}/w1`, `${box}:${link}/w-${link.length}`);
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await docker("exec", box, "cat", `${canary.dir}/w-${link.length}`)).stdout, "from the host\n");
        const back = await docker("cp", `${box}:${link}/w-${link.length}`, `${work}/back-${link.length}`);
        assert.equal(back.code, 0, back.stderr);
        assert.equal(await fs.readFile(`${work}/back-${link.length}`, "utf8"), "from the host\n");
      }
    } finally {
      await docker("exec", box, "rm", "-rf", canary.dir);
    }
  });

  test("docker cp out through a link never reads the host", async () => {
    for (const link of LINKS) {
      const r = await docker("cp", `${box}:${link}/${canary.secretName}`, `${work}/out`);
      assert.notEqual(r.code, 0, `${link}: ${r.stdout}`);
      await assert.rejects(fs.access(`${work}/out`));
      const followed = await docker("cp", "-L", `${box}:${link}`, `${work}/outL`);
      assert.notEqual(followed.code, 0, "the link's target does not exist in the container");
      await assert.rejects(fs.access(`${work}/outL`));
      // Without -L the link itself comes out, pointing where it pointed.
      const t = await sh(`docker cp ${box}:${link} - | tar -tvf -`);
      assert.equal(t.code, 0, t.stderr);
      assert.match(t.stdout, /^l/);
      const bytes = await sh(`docker cp ${box}:${link} - | cat`);
      canary.assertNotLeaked(bytes.stdout, `cp ${link} -`);
    }
  });

  test("raw API: PUT, GET and HEAD through the links", async () => {
    const tar = buildTar([{ path: "w2", body: "api\n" }]);
    for (const link of LINKS) {
      for (const p of [link, `${link}/`, `${link}/.`, `${link}/sub/..`]) {
        const put = await apiRaw(d.socket, "PUT", `/containers/${box}/archive?path=${encodeURIComponent(p)}`, tar);
        assert.equal(put.status, 404, `PUT ${p}: ${put.status} ${put.body}`);
        assert.match(messageOf(put), /Could not find the file/);
        const get = await apiRaw(d.socket, "GET", `/containers/${box}/archive?path=${encodeURIComponent(`${p.replace(/\/$/, "")}/${canary.secretName}`)}`);
        assert.equal(get.status, 404, `GET ${p}: ${get.status}`);
        canary.assertNotLeaked(get.body, `GET ${p}`);
      }
      // Entries that walk through the link from above: the link resolves inside the container.
      const through = buildTar([{ path: `${link.slice(1)}/w3`, body: "through\n" }]);
      const put = await apiRaw(d.socket, "PUT", `/containers/${box}/archive?path=/`, through);
      assert.notEqual(put.status, 200, `PUT / with ${link}/w3 went through a dangling link`);
      assert.ok(put.status < 500 || messageOf(put) !== "", `a bounded error: ${put.status} ${put.body}`);
      await canary.check(`PUT / with ${link.slice(1)}/w3`);
      const head = await apiRaw(d.socket, "HEAD", `/containers/${box}/archive?path=${encodeURIComponent(link)}`);
      assert.equal(head.status, 200);
      const stat = JSON.parse(Buffer.from(String(head.headers["x-docker-container-path-stat"]), "base64").toString());
      assert.equal(stat.linkTarget, canary.dir, "the link's target as a path inside the container");
    }
  });

  test("a stopped container: its links resolve inside it too", async () => {
    const stopped = uniqueName("esc-stopped");
    assert.equal((await docker("run", "--network", "none", "--name", stopped, "busybox", "sh", "-c", plantLinksScript(canary))).code, 0);
    try {
      for (const link of LINKS) {
        const r = await docker("cp", `${work}/w1`, `${stopped}:${link}/w1`);
        assert.notEqual(r.code, 0);
        const out = await docker("cp", `${stopped}:${link}/${canary.secretName}`, `${work}/s-out`);
        assert.notEqual(out.code, 0);
        const put = await apiRaw(d.socket, "PUT", `/containers/${stopped}/archive?path=${encodeURIComponent(link)}`, buildTar([{ path: "x", body: "x" }]));
        assert.equal(put.status, 404);
        await canary.check(`stopped: ${link}`);
      }
    } finally {
      await docker("rm", "-f", stopped);
    }
  });

  test("links inside a volume resolve inside the container", async () => {
    const v = uniqueName("escvol");
    const c = uniqueName("esc-vol");
    const r = await docker("run", "-d", "--network", "none", "--name", c, "-v", `${v}:/vol`, "busybox", "sh", "-c", `ln -s ${canary.dir} /vol/l && ln -s ../../../../..${canary.dir} /vol/r && sleep 600`);
    assert.equal(r.code, 0, r.stderr);
    try {
      await waitFor("the links in the volume", async () => (await docker("exec", c, "test", "-L", "/vol/r")).code === 0);
      for (const link of ["/vol/l", "/vol/r"]) {
        assert.notEqual((await docker("cp", `${work}/w1`, `${c}:${link}/w1`)).code, 0);
        const put = await apiRaw(d.socket, "PUT", `/containers/${c}/archive?path=${encodeURIComponent(link)}`, buildTar([{ path: "x", body: "x" }]));
        assert.equal(put.status, 404);
        assert.notEqual((await docker("cp", `${c}:${link}/${canary.secretName}`, `${work}/v-out`)).code, 0);
      }
      await docker("stop", "-t", "0", c);
      assert.notEqual((await docker("cp", `${work}/w1`, `${c}:/vol/l/w1`)).code, 0, "stopped, with the volume assembled");
      assert.equal((await docker("cp", `${work}/w1`, `${c}:/vol/w1`)).code, 0, "the volume itself is writable");
      const check = await docker("run", "--rm", "--network", "none", "-v", `${v}:/v`, "busybox", "cat", "/v/w1");
      assert.equal(check.stdout, "from the host\n");
    } finally {
      await docker("rm", "-f", "-v", c);
      await docker("volume", "rm", "-f", v);
    }
  });

  test("a directory swapped for a link during the copy (in and out)", async () => {
    const racer = uniqueName("esc-race");
    const r = await docker("run", "-d", "--network", "none", "--name", racer, "busybox", "sh", "-c", swapLoopScript(canary, "/race"));
    assert.equal(r.code, 0, r.stderr);
    try {
      const many = manyFiles("", 200);
      const through = manyFiles("d/", 200);
      for (let i = 0; i < 15; i++) {
        // In: into the swapping directory, and through it from its parent.
        const a = await apiRaw(d.socket, "PUT", `/containers/${racer}/archive?path=/race/d`, many);
        const b = await apiRaw(d.socket, "PUT", `/containers/${racer}/archive?path=/race`, through);
        for (const x of [a, b]) assert.ok(x.status === 200 || (x.status < 600 && messageOf(x) !== ""), `a bounded answer: ${x.status} ${x.body}`);
        // Out: the directory, and its parent (which walks into it).
        for (const p of ["/race/d", "/race/d/", "/race"]) {
          const g = await apiRaw(d.socket, "GET", `/containers/${racer}/archive?path=${encodeURIComponent(p)}`);
          canary.assertNotLeaked(g.body, `GET ${p} during the swap`);
        }
        await canary.check(`swap round ${i}`);
      }
      const cli = await sh(`for i in 1 2 3 4 5; do docker cp ${work}/w1 ${racer}:/race/d/ ; docker cp ${racer}:/race - | cat; done`);
      canary.assertNotLeaked(cli.stdout, "docker cp during the swap");
    } finally {
      await docker("rm", "-f", racer);
    }
  });

  test("the daemon is alive and the container still runs", async () => {
    const r = await docker("exec", box, "echo", "alive");
    assert.equal(r.stdout, "alive\n");
  });
});
