import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { Canary } from "../../helpers/canary.js";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { apiRaw, buildTar, plantLinksScript, swapLoopScript } from "./escape-helpers.js";

/**
 * Every other path the daemon resolves inside a container's files (issue 17):
 * export, diff, commit, the builder (context, COPY --from, COPY/ADD/WORKDIR
 * into the build container), volume copy-up, the /etc files written at
 * start and user lookup for exec. Hostile symlinks lead to a canary
 * directory on the host, which must stay untouched and unread.
 */
describe("export, diff, commit, build, copy-up and /etc stay inside the container", () => {
  let d: TestDaemon;
  const canary = new Canary();
  let work: string;
  const docker = (...args: string[]) => run("docker", args, { env: { ...d.env, DOCKER_BUILDKIT: "0" }, timeoutMs: 180_000 });
  const sh = (script: string) => run("sh", ["-c", script], { env: { ...d.env, DOCKER_BUILDKIT: "0" }, timeoutMs: 180_000 });
  /** The bytes of `docker save` of an image: its layers must not hold the host file. */
  const saved = async (img: string) => (await run("sh", ["-c", `docker save ${img} | cat`], { env: d.env, timeoutMs: 120_000 })).stdout;

  before(async () => {
    await canary.create();
    d = await startTestDaemon();
    work = `${d.base}/work`;
    await fs.mkdir(work, { recursive: true });
  });
  afterEach(async () => canary.check());
  after(async () => {
    await d?.stop();
    try {
      await canary.check("after the daemon stopped");
    } finally {
      await canary.remove();
    }
  });

  test("export, diff and commit of a container with links, and while it swaps a directory for a link", async () => {
    const c = uniqueName("fs-race");
    // Four loops swap four directories while we read (bounded: each stops after its rounds).
    const loops = [0, 1, 2, 3].map((i) => `(${swapLoopScript(canary, `/race${i}`, 5000)}) &`).join(" ");
    const r = await docker("run", "-d", "--network", "none", "--name", c, "busybox", "sh", "-c", `${plantLinksScript(canary)} && ${loops} wait; sleep 600`);
    assert.equal(r.code, 0, r.stderr);
    try {
      await waitFor("the links", async () => (await docker("exec", c, "test", "-L", "/chain1")).code === 0);
      for (let i = 0; i < 6; i++) {
        const exp = await sh(`docker export ${c} | cat`);
        canary.assertNotLeaked(exp.stdout, "export");
        const diff = await docker("diff", c);
        assert.equal(diff.code, 0, diff.stderr);
        assert.ok(!diff.stdout.includes(canary.secretName), `diff listed the host's files:\n${diff.stdout}`);
        const img = `fs-commit-${i}-${uniqueName()}`;
        const cm = await docker("commit", "--pause=false", c, img);
        assert.equal(cm.code, 0, cm.stderr);
        canary.assertNotLeaked(await saved(img), "commit --pause=false");
        await docker("rmi", img);
        await canary.check(`round ${i}`);
      }
      const listing = await sh(`docker export ${c} | tar -tvf - | grep -E ' (abs|chain1|deep/a/b/rel) -> '`);
      assert.equal(listing.stdout.trim().split("\n").length, 3, "links are exported as links");
    } finally {
      await docker("rm", "-f", c);
    }
  });

  test("COPY --from a stage whose links lead to the host", async () => {
    const dir = `${work}/from`;
    await fs.mkdir(dir, { recursive: true });
    const cases = [
      `/abs/${canary.secretName}`, "/abs", "/chain1", `/deep/a/b/rel/${canary.secretName}`, "/abs/sub/", "/chain1/*",
    ];
    for (const src of cases) {
      await fs.writeFile(path.join(dir, "Dockerfile"), `FROM busybox AS evil\nRUN ${plantLinksScript(canary)}\nFROM busybox\nCOPY --from=evil ${src} /got/\n`);
      const tag = uniqueName("fromcopy");
      const b = await docker("build", "-t", tag, dir);
      // The links lead to a directory the stage does not have: nothing to copy, as Docker says.
      assert.notEqual(b.code, 0, `COPY --from ${src} succeeded:\n${b.stdout}`);
      assert.match(b.stdout + b.stderr, /not found|no source files/);
      await canary.check(`COPY --from=evil ${src}`);
    }
  });

  test("a build context whose links lead to the host (Dockerfile, .dockerignore, COPY)", async () => {
    const post = (tar: Buffer, q = "") => apiRaw(d.socket, "POST", `/build?t=${uniqueName("ctx")}${q}`, tar, { "Content-Type": "application/x-tar" });
    // A Dockerfile that is a link to a host file: dockerd cannot find it in the context.
    const df = await post(buildTar([{ path: "Dockerfile", type: "SymbolicLink", linkpath: `${canary.dir}/passwd` }]));
    assert.equal(df.status, 400, df.body.toString());
    assert.match(df.body.toString(), /Cannot locate specified Dockerfile/);
    assert.ok(!df.body.toString().includes("evil:x:4242"), "the host file was read as the Dockerfile");
    // A directory link, a Dockerfile path through it and a .dockerignore naming it (the builder deletes ignored build files).
    const viaDir = buildTar([
      { path: "sub", type: "SymbolicLink", linkpath: canary.dir },
      { path: ".dockerignore", body: "sub/passwd\n" },
    ]);
    const r = await post(viaDir, `&dockerfile=${encodeURIComponent("sub/passwd")}`);
    assert.equal(r.status, 400, r.body.toString());
    assert.ok(!r.body.toString().includes("evil:x:4242"));
    // COPY through a link in the context, by the docker CLI (which sends links as links).
    const dir = `${work}/ctx`;
    await fs.mkdir(dir, { recursive: true });
    await fs.symlink(canary.dir, path.join(dir, "hostlink")).catch(() => undefined);
    for (const src of [`hostlink/${canary.secretName}`, "hostlink", "hostlink/"]) {
      await fs.writeFile(path.join(dir, "Dockerfile"), `FROM busybox\nCOPY ${src} /got/\n`);
      const b = await docker("build", "-t", uniqueName("ctxcopy"), dir);
      assert.notEqual(b.code, 0, `COPY ${src} succeeded:\n${b.stdout}`);
    }
    // The link itself inside a copied directory is copied as a link.
    await fs.writeFile(path.join(dir, "Dockerfile"), "FROM busybox\nCOPY . /ctx/\n");
    const tag = uniqueName("ctxall");
    const all = await docker("build", "-t", tag, dir);
    assert.equal(all.code, 0, all.stdout + all.stderr);
    assert.equal((await docker("run", "--rm", "--network", "none", tag, "readlink", "/ctx/hostlink")).stdout.trim(), canary.dir);
    canary.assertNotLeaked(await saved(tag), "COPY . with a link in the context");
  });

  test("COPY, ADD and WORKDIR into a build container whose links lead to the host", async () => {
    const dir = `${work}/into`;
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "f"), "from the context\n");
    await fs.writeFile(path.join(dir, "evil.tar"), buildTar([
      { path: "l", type: "SymbolicLink", linkpath: canary.dir },
      { path: "x", type: "Directory" },
    ]));
    await fs.writeFile(path.join(dir, "Dockerfile"), [
      "FROM busybox",
      `RUN ${plantLinksScript(canary)}`,
      "COPY f /abs/f1",
      "COPY f /chain1/",
      "COPY f /deep/a/b/rel/f3",
      "ADD evil.tar /deep/a/b/rel/",
      "WORKDIR /abs/wd",
      `RUN test -f ${canary.dir}/f1 && test -f ${canary.dir}/f && test -f ${canary.dir}/f3 && test -L ${canary.dir}/l && test -d ${canary.dir}/wd`,
      "",
    ].join("\n"));
    const tag = uniqueName("into");
    const b = await docker("build", "-t", tag, dir);
    assert.equal(b.code, 0, b.stdout + b.stderr);
    // And a hostile archive that tries to write through its own link: refused, as dockerd does.
    await fs.writeFile(path.join(dir, "evil2.tar"), buildTar([
      { path: "l", type: "SymbolicLink", linkpath: canary.dir },
      { path: "l/w", body: "through\n" },
    ]));
    await fs.writeFile(path.join(dir, "Dockerfile"), "FROM busybox\nADD evil2.tar /t/\nRUN cat /t/l/w\n");
    const b2 = await docker("build", "-t", uniqueName("into2"), dir);
    assert.notEqual(b2.code, 0, b2.stdout + b2.stderr);
  });

  test("volume copy-up from an image whose paths are links to the host", async () => {
    const dir = `${work}/copyup`;
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "Dockerfile"), `FROM busybox\nRUN mkdir /data && ln -s ${canary.dir} /data/l && ln -s ${canary.dir} /vol2 && ln -s ../../../../..${canary.dir} /vol3\n`);
    const tag = uniqueName("copyup");
    assert.equal((await docker("build", "-t", tag, dir)).code, 0);
    for (const dest of ["/data", "/vol2", "/vol3"]) {
      const v = uniqueName("cuv");
      // A volume on a dangling link may not start under crun; copy-up happens before, at create/start.
      await docker("run", "--rm", "--network", "none", "-v", `${v}:${dest}`, tag, "true");
      const r = await docker("run", "--rm", "--network", "none", "-v", `${v}:/x`, "busybox", "sh", "-c", `ls -laR /x/; cat /x/${canary.secretName} /x/l/${canary.secretName} 2>/dev/null; true`);
      assert.equal(r.code, 0, r.stderr);
      canary.assertNotLeaked(r.stdout, `copy-up into ${dest}`);
      assert.ok(!r.stdout.includes(canary.secretName), `copy-up of ${dest} copied the host's files:\n${r.stdout}`);
      await docker("volume", "rm", "-f", v);
    }
  });

  test("/etc/hostname, hosts, resolv.conf and exec's user lookup through links", async () => {
    // A stopped container whose /etc files (and, in another, /etc itself) are links to the host.
    const c = uniqueName("etc");
    const c2 = uniqueName("etcdir");
    assert.equal((await docker("create", "--name", c, "--network", "none", "busybox", "sleep", "600")).code, 0);
    assert.equal((await docker("create", "--name", c2, "--network", "none", "busybox", "sleep", "600")).code, 0);
    try {
      const links = buildTar(["hosts", "hostname", "resolv.conf", "passwd"].map((n) => ({ path: n, type: "SymbolicLink" as const, linkpath: `${canary.dir}/${n}` })));
      assert.equal((await apiRaw(d.socket, "PUT", `/containers/${c}/archive?path=/etc`, links)).status, 200);
      const etcLink = buildTar([{ path: "etc", type: "SymbolicLink", linkpath: canary.dir }]);
      assert.equal((await apiRaw(d.socket, "PUT", `/containers/${c2}/archive?path=/`, etcLink)).status, 200);
      const st = await docker("start", c);
      assert.equal(st.code, 0, st.stderr);
      await canary.check(`start of ${c}`);
      assert.equal((await docker("restart", "-t", "0", c)).code, 0);
      await canary.check(`restart of ${c}`);
      // With /etc a dangling link the runtime may refuse to start (runc does); it never writes on the host.
      const st2 = await docker("start", c2);
      assert.ok(st2.code === 0 || /Error response from daemon/.test(st2.stderr), st2.stderr);
      await canary.check(`start of ${c2}`);
      // exec -u looks the user up in the container's /etc/passwd: the link leads to a file the container does not have.
      const ex = await docker("exec", "-u", "evil", c, "id");
      assert.ok(!ex.stdout.includes("4242"), `exec -u evil found the host's user: ${ex.stdout}`);
      assert.match(ex.stderr, /unable to find user evil|no matching entries/);
    } finally {
      await docker("rm", "-f", c, c2);
    }
  });
});
