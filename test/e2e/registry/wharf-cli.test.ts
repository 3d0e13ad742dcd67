import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { WHARF, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { startWharfRegistry, writeHtpasswd, type TestRegistry } from "./registries.js";

/** wharf's own CLI for the distribution commands: login, push, pull, save, load, history, commit, logout. */
describe("wharf CLI image distribution commands", () => {
  let d: TestDaemon;
  let reg: TestRegistry;
  let dir: string;
  const wharf = async (args: string[], input?: string) => {
    const r = await run(process.execPath, [WHARF, ...args], { env: d.env, input, timeoutMs: 120_000 });
    assert.equal(r.code, 0, `wharf ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-cli-reg-"));
    const htpasswd = await writeHtpasswd(dir, "bob", "pw");
    [d, reg] = await Promise.all([startTestDaemon(), startWharfRegistry({ htpasswd })]);
  });
  after(async () => {
    await Promise.all([d?.stop(), reg?.stop()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("logs in, commits, pushes, pulls, saves, loads, shows history and logs out", async () => {
    assert.match(await wharf(["login", "-u", "bob", "--password-stdin", reg.host], "pw\n"), /Login Succeeded/);
    const c = uniqueName("c");
    await wharf(["run", "--name", c, "--network", "none", "busybox", "sh", "-c", "echo hi > /greeting"]);
    const ref = `${reg.host}/cli/${uniqueName("img")}:1`;
    const id = (await wharf(["commit", "-m", "greeting", c, ref])).trim();
    await wharf(["rm", c]);
    const history = (await wharf(["history", "--format", "{{.ID}} {{.Comment}}", ref])).trim().split("\n");
    assert.equal(history[0], `${id.slice(7, 19)} greeting`);
    assert.match(history[1], /^<missing>/);
    const pushed = await wharf(["push", ref]);
    assert.match(pushed, /1: digest: sha256:[0-9a-f]{64} size: \d+/);
    await wharf(["rmi", ref]);
    const pulled = await wharf(["pull", ref]);
    assert.match(pulled, /Status: Downloaded newer image/);
    assert.equal(pulled.trim().split("\n").pop(), ref);
    const tar = path.join(dir, "x.tar");
    await wharf(["save", "-o", tar, ref]);
    await wharf(["rmi", ref]);
    assert.match(await wharf(["load", "-i", tar]), new RegExp(`Loaded image: ${ref}`));
    assert.equal((await wharf(["run", "--rm", "--network", "none", ref, "cat", "/greeting"])).trim(), "hi");
    assert.match(await wharf(["logout", reg.host]), /Removing login credentials/);
  });
});
