import { it } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { run, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { ADDITIVE_ONE_RUN, ADDITIVE_TWO_RUNS, IGNORE_CTX, makeContext, MULTI_STAGE, NODE_STYLE } from "./contexts.js";

/**
 * The acceptance checks, run through a build client (`docker` with
 * DOCKER_BUILDKIT=0 or `wharf`); images are always inspected with the real
 * docker CLI.
 */
export function buildFlows(client: () => string, daemon: () => TestDaemon): void {
  const env = () => ({ ...daemon().env, DOCKER_BUILDKIT: "0" });
  const build = (args: string[]) => run(client(), ["build", ...args], { env: env(), timeoutMs: 120_000 });
  const docker = (args: string[]) => run("docker", args, { env: env(), timeoutMs: 60_000 });
  const dirs: string[] = [];
  const ctx = async (files: Record<string, string>) => {
    const d = await makeContext(files);
    dirs.push(d);
    return d;
  };
  const cleanup = async (tags: string[]) => {
    await docker(["rmi", "-f", ...tags]);
    for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
  };

  it("builds the seed's node-style Dockerfile; inspect shows labels, env, workdir, cmd", async () => {
    const tag = uniqueName("node-style");
    try {
      const r = await build(["-t", tag, await ctx(NODE_STYLE)]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Step 1\/12 : FROM busybox\n ---> [0-9a-f]{12}\n/);
      assert.match(r.stdout, /Step 7\/12 : RUN mkdir -p \/var\/log\/supervisor\n ---> Running in [0-9a-f]{12}\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n/);
      assert.match(r.stdout, /Successfully built [0-9a-f]{12}\nSuccessfully tagged /);
      const i = await docker(["inspect", "-f", "{{json .Config.Labels}}|{{json .Config.Env}}|{{.Config.WorkingDir}}|{{json .Config.Cmd}}|{{.Config.User}}", tag]);
      const [labels, envs, wd, cmd, user] = i.stdout.trim().split("|");
      assert.deepEqual(JSON.parse(labels), { maintainer: "anna@example.com", rating: "Five Stars", class: "First Class" });
      assert.ok(JSON.parse(envs).includes("AP=/data/app") && JSON.parse(envs).includes("SCPATH=/etc/supervisor/conf.d"), envs);
      assert.equal(wd, "/data/app");
      assert.deepEqual(JSON.parse(cmd), ["sh", "-c", "cat /listing.txt; ls $SCPATH"]);
      assert.equal(user, "root");
      const out = await docker(["run", "--rm", tag]);
      assert.equal(out.stdout, "index.js\npackage.json\nnode.conf\nsupervisord.conf\n", out.stderr);
      const h = await docker(["history", "--no-trunc", "--format", "{{.CreatedBy}}", tag]);
      assert.match(h.stdout, /^\/bin\/sh -c #\(nop\)  CMD \["sh" "-c" "cat \/listing.txt; ls \$SCPATH"\]\n/);
      assert.match(h.stdout, /\/bin\/sh -c #\(nop\) ADD multi:[0-9a-f]{64} in \/data\/app\/ \n/);
      assert.match(h.stdout, /\/bin\/sh -c #\(nop\) WORKDIR \/data\/app\n/);
    } finally {
      await cleanup([tag]);
    }
  });

  it("multi-stage: FROM scratch + COPY --from=builder + CMD gives a one-layer image that runs", async () => {
    const tag = uniqueName("multi");
    try {
      const r = await build(["-t", tag, await ctx(MULTI_STAGE)]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Step 3\/5 : FROM scratch\n ---> \n/);
      const layers = await docker(["inspect", "-f", "{{len .RootFS.Layers}}", tag]);
      assert.equal(layers.stdout.trim(), "1");
      const out = await docker(["run", "--rm", tag]);
      assert.equal(out.stdout, "built-by-builder\n", out.stderr);
      const t = await build(["-q", "--target", "builder", "-t", `${tag}-b`, dirs[0]]);
      assert.equal(t.code, 0, t.stderr);
      assert.match(t.stdout.trim(), /^sha256:[0-9a-f]{64}$/);
    } finally {
      await cleanup([tag, `${tag}-b`]);
    }
  });

  it("rebuilds from cache (every step, same image); a changed file rebuilds from its COPY on", async () => {
    const tag = uniqueName("cache");
    try {
      const dir = await ctx({
        Dockerfile: `FROM busybox\nRUN sleep 2 && date +%s%N > /slept\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy.txt\nCOPY b.txt /b.txt\nCMD ["cat", "/copy.txt"]\n`,
        "a.txt": `one ${tag}\n`,
        "b.txt": "bee\n",
      });
      const cold = await build(["-t", tag, dir]);
      assert.equal(cold.code, 0, cold.stdout + cold.stderr);
      const imageId = async () => (await docker(["inspect", "-f", "{{.Id}}", tag])).stdout.trim();
      const coldId = await imageId();
      // Speed (a cached build in under 10% of a cold one) is measured by `npm run bench`; here: nothing re-ran.
      const warm = await build(["-t", tag, dir]);
      assert.equal(warm.code, 0, warm.stderr);
      assert.equal(warm.stdout.match(/ ---> Using cache\n/g)?.length, 5, warm.stdout);
      assert.equal(await imageId(), coldId, "a fully cached build gives the same image");
      await fs.writeFile(path.join(dir, "a.txt"), `two ${tag}\n`);
      const changed = await build(["-t", tag, dir]);
      assert.equal(changed.code, 0, changed.stderr);
      const steps = changed.stdout.split(/^Step /m).slice(1);
      assert.deepEqual(steps.map((s) => s.includes("Using cache")), [false, true, false, false, false, false]);
      assert.equal((await docker(["run", "--rm", tag])).stdout, `two ${tag}\n`);
      // Only the mode changes: the checksum includes it, so the COPY misses.
      await fs.chmod(path.join(dir, "b.txt"), 0o755);
      const mode = await build(["-t", tag, dir]);
      assert.deepEqual(mode.stdout.split(/^Step /m).slice(1).map((s) => s.includes("Using cache")), [false, true, true, true, false, false]);
    } finally {
      await cleanup([tag]);
    }
  });

  it("layers are additive: a file deleted in a later RUN still counts; deleted in the same RUN it does not", async () => {
    const two = uniqueName("additive2");
    const one = uniqueName("additive1");
    try {
      const r2 = await build(["-t", two, await ctx({ Dockerfile: ADDITIVE_TWO_RUNS })]);
      assert.equal(r2.code, 0, r2.stdout + r2.stderr);
      const r1 = await build(["-t", one, await ctx({ Dockerfile: ADDITIVE_ONE_RUN })]);
      assert.equal(r1.code, 0, r1.stdout + r1.stderr);
      const sizes = async (t: string) => (await docker(["history", "--format", "{{.Size}}", t])).stdout.trim().split("\n");
      assert.deepEqual((await sizes(two)).slice(0, 2), ["0B", "2.1MB"]);
      assert.equal((await sizes(one))[0], "0B");
      const total = async (t: string) => Number((await docker(["inspect", "-f", "{{.Size}}", t])).stdout.trim());
      assert.ok((await total(two)) - (await total(one)) >= 2 * 1024 * 1024);
    } finally {
      await cleanup([two, one]);
    }
  });

  it(".dockerignore keeps secret.txt and node_modules/ out; ! re-includes a file", async () => {
    const tag = uniqueName("ignore");
    try {
      const r = await build(["-t", tag, await ctx(IGNORE_CTX)]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const out = await docker(["run", "--rm", tag]);
      assert.equal(out.stdout, "./.dockerignore\n./Dockerfile\n./app.js\n./keep.log\n", out.stderr);
    } finally {
      await cleanup([tag]);
    }
  });

  it("a failing RUN exit 7 fails the build with docker's message and code", async () => {
    const r = await build([await ctx({ Dockerfile: "FROM busybox\nRUN exit 7\n" })]);
    await cleanup([]);
    assert.equal(r.code, 7, r.stdout + r.stderr);
    assert.match(r.stderr, /The command '\/bin\/sh -c exit 7' returned a non-zero code: 7/);
    assert.match(r.stdout, / ---> Running in [0-9a-f]{12}\n/);
  });
}
