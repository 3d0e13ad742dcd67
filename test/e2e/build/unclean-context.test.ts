import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Canary } from "../../helpers/canary.js";
import { run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { rawTar } from "../../helpers/raw-tar.js";
import { apiRaw } from "../security/escape-helpers.js";

/**
 * moby's TestBuildUncleanTarFilenames: a build context whose members are
 * named "../foo" and "/bar" builds (dockerd clamps the names to the
 * context's root), and a second context with the same names but new bytes
 * gets no cache hit. Nothing lands outside the context (a canary watches).
 */
describe("build context with unclean member names", () => {
  let d: TestDaemon;
  const canary = new Canary();
  const docker = (...args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });

  before(async () => {
    d = await startTestDaemon();
    await canary.create();
  });
  after(async () => {
    await d?.stop();
    await canary.remove();
  });

  const build = async (tag: string, n: number) => {
    const ctx = rawTar([
      { name: "Dockerfile", body: "FROM scratch\nCOPY foo /\nFROM busybox\nCOPY foo /foo\nCOPY bar /bar\n" },
      { name: "../foo", body: `foocontents${n}` },
      { name: "/bar", body: `barcontents${n}` },
      { name: `../../../../../..${canary.dir}/dotdot`, body: "escaped" },
    ]);
    const r = await apiRaw(d.socket, "POST", `/build?t=${tag}&rm=1&forcerm=1`, ctx);
    const text = r.body.toString();
    assert.equal(r.status, 200, text);
    assert.doesNotMatch(text, /errorDetail/, text);
    return text;
  };

  test("../foo and /bar are read as foo and bar; new bytes are no cache hit", async () => {
    const tag = uniqueName("unclean");
    await build(tag, 0);
    let out = await docker("run", "--rm", "--network", "none", tag, "cat", "/foo", "/bar");
    assert.equal(out.stdout, "foocontents0barcontents0", out.stderr);
    const second = await build(tag, 1);
    assert.doesNotMatch(second, /Using cache/);
    out = await docker("run", "--rm", "--network", "none", tag, "cat", "/foo", "/bar");
    assert.equal(out.stdout, "foocontents1barcontents1", out.stderr);
    await canary.check("unclean build context");
  });
});
