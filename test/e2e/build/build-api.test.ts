import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { api, run, startTestDaemon, uniqueName, WHARF, type TestDaemon } from "../../helpers/daemon.js";
import { makeContext } from "./contexts.js";

async function tarOf(dir: string): Promise<Buffer> {
  const r = await run("tar", ["-C", dir, "-cf", `${dir}.tar`, "."]);
  assert.equal(r.code, 0, r.stderr);
  return fs.readFile(`${dir}.tar`);
}
const messages = (body: string) => body.split("\r\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

// Raw POST /build with a tar context, /build/prune, the cache across a daemon restart, wharf-only flags.
describe("POST /build", () => {
  let d: TestDaemon;
  const dirs: string[] = [];
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    for (const x of dirs) await fs.rm(x, { recursive: true, force: true }), await fs.rm(`${x}.tar`, { force: true });
    await d?.stop();
  });
  const ctx = async (files: Record<string, string>) => {
    const x = await makeContext(files);
    dirs.push(x);
    return x;
  };

  it("streams docker's JSON messages, ARG/--build-arg, heredocs; the cache survives a restart; prune clears it", async () => {
    const tag = uniqueName("api");
    const dir = await ctx({ Dockerfile: `ARG BASE=busybox\nFROM $BASE\nARG GREETING=hi\nRUN <<EOF\necho "\${GREETING:-none} \${MISSING:+x}" > /greeting\nEOF\nCOPY <<EOF /note.txt\nnote\nEOF\nCMD ["cat", "/greeting"]\n` });
    const q = `t=${tag}&buildargs=${encodeURIComponent(JSON.stringify({ GREETING: "hello" }))}`;
    const r = await api(d.socket, "POST", `/v1.41/build?${q}`, await tarOf(dir), { "Content-Type": "application/x-tar" });
    assert.equal(r.status, 200);
    const ms = messages(r.body);
    assert.deepEqual(ms.slice(0, 2), [{ stream: "Step 1/6 : ARG BASE=busybox" }, { stream: "\n" }]);
    const aux = ms.find((m) => m.aux)?.aux.ID as string;
    assert.match(aux, /^sha256:[0-9a-f]{64}$/);
    assert.ok(ms.some((m) => m.stream === `Successfully tagged ${tag}:latest\n`), r.body);
    const out = await run("docker", ["run", "--rm", tag], { env: d.env });
    assert.equal(out.stdout, "hello \n", out.stderr);
    const hist = await run("docker", ["history", "--no-trunc", "--format", "{{.CreatedBy}}", tag], { env: d.env });
    assert.match(hist.stdout, /\|1 GREETING=hello \/bin\/sh -c echo/);

    // A crash and a restart on the same data-root: the cache is the images themselves.
    await d.kill9();
    await d.start();
    const again = await api(d.socket, "POST", `/build?${q}`, await tarOf(dir), { "Content-Type": "application/x-tar" });
    assert.equal(messages(again.body).filter((m) => m.stream === " ---> Using cache\n").length, 4, again.body);

    await run("docker", ["rmi", "--no-prune", tag], { env: d.env });
    const p = await api(d.socket, "POST", "/build/prune");
    assert.equal(p.status, 200);
    assert.ok((p.json().CachesDeleted ?? []).length === 3, p.body);
  });

  it("errors: a parse error is a 400 before streaming; a failing RUN ends the stream with errorDetail.code", async () => {
    const bad = await api(d.socket, "POST", "/build", await tarOf(await ctx({ Dockerfile: "FROM busybox\nFOO bar\n" })), { "Content-Type": "application/x-tar" });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().message, "dockerfile parse error line 2: unknown instruction: FOO");
    const fail = await api(d.socket, "POST", "/build", await tarOf(await ctx({ Dockerfile: "FROM busybox\nRUN exit 7\n" })), { "Content-Type": "application/x-tar" });
    const last = messages(fail.body).pop();
    assert.deepEqual(last, { errorDetail: { code: 7, message: "The command '/bin/sh -c exit 7' returned a non-zero code: 7" }, error: "The command '/bin/sh -c exit 7' returned a non-zero code: 7" });
    const missing = await api(d.socket, "POST", "/build", await tarOf(await ctx({ Dockerfile: "FROM busybox\nCOPY nope.txt /x\n" })), { "Content-Type": "application/x-tar" });
    assert.equal(messages(missing.body).pop()?.error, "COPY failed: file not found in build context or excluded by .dockerignore: stat nope.txt: file does not exist");
  });

  it("as dockerd's classic builder: every stage up to the target runs and sends its image ID as aux; an empty Dockerfile and a bad platform are 400s", async () => {
    const dockerfile = "FROM busybox AS stage1\nONBUILD RUN echo foo > /somefile\nONBUILD ENV bar=baz\n\nFROM stage1\nRUN cat /somefile\n\nFROM stage1\nRUN cat /somefile\n";
    const r = await api(d.socket, "POST", "/build", await tarOf(await ctx({ Dockerfile: dockerfile })), { "Content-Type": "application/x-tar" });
    assert.equal(r.status, 200);
    const ids = messages(r.body).filter((m) => m.aux).map((m) => m.aux.ID as string);
    assert.equal(ids.length, 3, r.body);
    const last = await api(d.socket, "GET", `/images/${ids[2]}/json`);
    assert.ok(last.json().Config.Env.includes("bar=baz"), last.body);
    const q = await api(d.socket, "POST", "/build?q=1", await tarOf(await ctx({ Dockerfile: dockerfile })), { "Content-Type": "application/x-tar" });
    assert.deepEqual(messages(q.body).filter((m) => m.aux), [], "quiet builds send no aux");

    const empty = await api(d.socket, "POST", "/build", await tarOf(await ctx({ Dockerfile: "" })), { "Content-Type": "application/x-tar" });
    assert.equal(empty.status, 400);
    assert.equal(empty.json().message, "the Dockerfile (Dockerfile) cannot be empty");
    const comment = await api(d.socket, "POST", "/build", await tarOf(await ctx({ Dockerfile: "# only a comment\n" })), { "Content-Type": "application/x-tar" });
    assert.match(comment.json().message, /file with no instructions/);
    const platform = await api(d.socket, "POST", "/build?platform=foobar", await tarOf(await ctx({ Dockerfile: "FROM busybox\n" })), { "Content-Type": "application/x-tar" });
    assert.equal(platform.status, 400);
    assert.match(platform.json().message, /unknown operating system or architecture/);
  });

  it("RUN as a named USER gets its uid, gid and supplementary groups from the image", async () => {
    const dir = await ctx({ Dockerfile: "FROM busybox\nUSER root\nRUN echo bob:x:4242:4242::/tmp:/bin/sh >> /etc/passwd && echo extra:x:4242: >> /etc/group && sed -i s/^wheel:x:10:root$/wheel:x:10:root,bob/ /etc/group\nUSER bob\nRUN id > /tmp/id\n" });
    const r = await api(d.socket, "POST", "/build", await tarOf(dir), { "Content-Type": "application/x-tar" });
    const text = messages(r.body).map((m) => m.stream ?? m.error ?? "").join("");
    assert.match(text, /Successfully built/, r.body);
    const id = messages(r.body).find((m) => m.aux)?.aux.ID as string;
    const out = await run("docker", ["run", "--rm", id, "cat", "/tmp/id"], { env: d.env });
    assert.equal(out.stdout, "uid=4242(bob) gid=4242(extra) groups=10(wheel),4242(extra)\n", out.stderr);
    const bad = await api(d.socket, "POST", "/build", await tarOf(await ctx({ Dockerfile: "FROM busybox\nUSER nosuchuser\nRUN true\n" })), { "Content-Type": "application/x-tar" });
    assert.match(messages(bad.body).pop()?.error ?? "", /unable to find user nosuchuser: no matching entries in passwd file/);
  });

  it("wharf build -f with a Dockerfile outside the context, Dockerfile.dockerignore, --label, --iidfile", async () => {
    const tag = uniqueName("outside");
    const dir = await ctx({ "keep.txt": "k\n", "drop.txt": "d\n" });
    const dfDir = await ctx({ "My.Dockerfile": "FROM busybox\nCOPY . /c/\nCMD [\"ls\", \"/c\"]\n", "My.Dockerfile.dockerignore": "drop.txt\n" });
    const iid = `${dfDir}/iid`;
    const r = await run(WHARF, ["build", "-f", `${dfDir}/My.Dockerfile`, "--label", "team=build", "--iidfile", iid, "-t", tag, dir], { env: d.env, timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Sending build context to Docker daemon  [0-9.]+kB\r?\n/);
    assert.match(await fs.readFile(iid, "utf8"), /^sha256:[0-9a-f]{64}$/);
    const ls = await run("docker", ["run", "--rm", tag], { env: d.env });
    assert.equal(ls.stdout, "keep.txt\n", ls.stderr);
    const label = await run("docker", ["inspect", "-f", "{{.Config.Labels.team}}", tag], { env: d.env });
    assert.equal(label.stdout.trim(), "build");
    await run("docker", ["rmi", tag], { env: d.env });
  });
});
