import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { packTar } from "../../snapshot/tar-pack.js";
import { unpackTar } from "../../snapshot/tar-unpack.js";
import { buildTar } from "../../snapshot/test-tar.js";
import { closeFd, readdirFd } from "./at.js";
import { ScopedRoot } from "./scoped-root.js";

/** A tree with hostile links next to an "outside" directory they all point at. */
describe("ScopedRoot", () => {
  let base: string;
  let rootDir: string;
  let outside: string;
  let root: ScopedRoot;

  before(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-scoped-"));
    rootDir = path.join(base, "root");
    outside = path.join(base, "outside");
    await fs.mkdir(path.join(rootDir, "deep/a/b"), { recursive: true });
    await fs.mkdir(path.join(rootDir, "etc"));
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, "secret"), "host\n");
    await fs.writeFile(path.join(rootDir, "etc/passwd"), "root:x:0:0\n");
    await fs.symlink(outside, path.join(rootDir, "abs"));
    await fs.symlink(`../../../../../../../..${outside}`, path.join(rootDir, "deep/a/b/rel"));
    await fs.symlink("deep/a/b/rel", path.join(rootDir, "chain"));
    await fs.symlink("/etc", path.join(rootDir, "etclink"));
    await fs.symlink("/nowhere", path.join(rootDir, "dangle"));
    await fs.symlink("loop2", path.join(rootDir, "loop1"));
    await fs.symlink("loop1", path.join(rootDir, "loop2"));
    root = ScopedRoot.open(rootDir);
  });
  after(async () => {
    root.close();
    await fs.rm(base, { recursive: true, force: true });
  });

  it("resolves links as if the root were /", () => {
    assert.equal(root.readFile("/abs/secret"), undefined);
    assert.equal(root.readFile("/deep/a/b/rel/secret"), undefined);
    assert.equal(root.readFile("/chain/secret"), undefined);
    assert.equal(root.readFile("/etclink/passwd")?.toString(), "root:x:0:0\n");
    assert.equal(root.readFile("/../../../etc/passwd")?.toString(), "root:x:0:0\n");
    assert.equal(root.realPath("/chain/x"), `${outside}/x`);
    assert.equal(root.realPath("/etclink/../etc/passwd"), "/etc/passwd");
    assert.throws(() => root.stat("/loop1/x"), { code: "ELOOP" });
  });

  it("creates directories through links inside the root only", async () => {
    closeFd(root.mkdirAll("/abs/made"));
    assert.ok((await fs.stat(path.join(rootDir, outside, "made"))).isDirectory());
    assert.deepEqual(await fs.readdir(outside), ["secret"]);
    // Archive semantics: a dangling link on the way is an error, not created through.
    assert.throws(() => root.ensureDir("/dangle/x"), { code: "ENOTDIR" });
    await fs.rm(path.join(rootDir, "tmp"), { recursive: true, force: true });
  });

  it("extracts and archives through links without leaving the root", async () => {
    const tar = buildTar([
      { path: "abs2", type: "SymbolicLink", linkpath: outside },
      { path: "etclink/new", body: "inside\n" },
      { path: "../../x", body: "clamped\n" },
    ]);
    await unpackTar(Readable.from([tar]), root);
    assert.equal(await fs.readFile(path.join(rootDir, "etc/new"), "utf8"), "inside\n");
    assert.equal(await fs.readFile(path.join(rootDir, "x"), "utf8"), "clamped\n");
    await assert.rejects(unpackTar(Readable.from([buildTar([{ path: "abs2/w", body: "no\n" }])]), root), /Error processing tar file/);
    const chunks: Buffer[] = [];
    for await (const c of packTar(root, "/", [{ name: "abs" }, { name: "chain" }])) chunks.push(c as Buffer);
    assert.ok(!Buffer.concat(chunks).includes("host\n"), "links are archived as links");
    assert.deepEqual(await fs.readdir(outside), ["secret"]);
  });

  it("holds while another process swaps a directory for a link (bounded race)", async () => {
    const race = path.join(rootDir, "race");
    await fs.mkdir(race);
    const script = `i=0; while [ $i -lt 3000 ]; do rm -rf ${race}/d; ln -s ${outside} ${race}/d; rm -f ${race}/d; mkdir ${race}/d; i=$((i+1)); done`;
    const swapper = spawn("sh", ["-c", script], { stdio: "ignore" });
    const done = new Promise((r) => swapper.once("exit", r));
    try {
      const files = buildTar(Array.from({ length: 50 }, (_, i) => ({ path: `d/f${i}`, body: "w\n" })));
      for (let i = 0; i < 40 && swapper.exitCode === null; i++) {
        await unpackTar(Readable.from([files]), root, { base: "/race" }).catch(() => undefined);
        const dir = root.tryOpen("/race");
        if (dir !== undefined) {
          readdirFd(dir);
          closeFd(dir);
        }
        for await (const c of packTar(root, "/", [{ name: "race" }])) assert.ok(!(c as Buffer).includes("host\n"));
      }
    } finally {
      swapper.kill("SIGKILL");
      await done;
    }
    assert.deepEqual(await fs.readdir(outside), ["secret"]);
    assert.equal(await fs.readFile(path.join(outside, "secret"), "utf8"), "host\n");
  });
});
