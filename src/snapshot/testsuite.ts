import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ArchiveError, ConflictError } from "../lib/errors.js";
import { sha256Digest } from "../content/digest.js";
import { fsat } from "../lib/scoped-fs/native.js";

const isOpaque = async (dir: string) => fsat().getxattr(dir, "trusted.overlay.opaque")?.toString() === "y";
import type { Snapshotter } from "./snapshotter.js";
import { buildTar } from "./test-tar.js";

const run = promisify(execFile);

async function mountOverlay(lower: string[], upper: string, work: string, merged: string): Promise<void> {
  await run("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${lower.join(":")},upperdir=${upper},workdir=${work}`, merged]);
}

/**
 * The conformance suite every Snapshotter implementation runs: real tars,
 * real files, and a real overlay mount to check whiteouts do their job.
 */
export function snapshotterSuite(name: string, factory: (root: string) => Snapshotter): void {
  describe(`snapshotter conformance: ${name}`, () => {
    let root: string;
    let snap: Snapshotter;
    before(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-snap-"));
      snap = factory(path.join(root, "overlay"));
    });
    after(async () => {
      await fs.rm(root, { recursive: true, force: true });
    });

    const base = buildTar([
      { path: "etc/", type: "Directory" },
      { path: "etc/hosts", body: "127.0.0.1 localhost\n", uid: 1000, gid: 1001, mode: 0o600 },
      { path: "bin/", type: "Directory", mode: 0o711 },
      { path: "bin/tool", body: "#!/bin/sh\necho hi\n", mode: 0o4755 },
      { path: "bin/alias", type: "Link", linkpath: "bin/tool" },
      { path: "bin/abs", type: "SymbolicLink", linkpath: "/bin/tool", uid: 7, gid: 8 },
      { path: "data/", type: "Directory" },
      { path: "data/keep", body: "lower" },
      { path: "gone", body: "to be whited out" },
      { path: "dev/", type: "Directory" },
      { path: "dev/fifo", type: "FIFO", mode: 0o640 },
    ]);
    const top = buildTar([
      { path: ".wh.gone", body: "" },
      { path: "data/", type: "Directory" },
      { path: "data/.wh..wh..opq", body: "" },
      { path: "data/new", body: "upper" },
      { path: "etc/motd", body: "hello\n" },
    ]);

    it("extracts a layer with ownership, modes, links and its diffID/chainID", async () => {
      const layer = await snap.applyLayer(undefined, Readable.from([base]));
      assert.equal(layer.diffId, sha256Digest(base));
      assert.equal(layer.chainId, layer.diffId, "chainID(L0) = diffID(L0)");
      const [diff] = snap.lowerDirs(layer.chainId);
      const hosts = await fs.stat(path.join(diff, "etc/hosts"));
      assert.equal(hosts.uid, 1000);
      assert.equal(hosts.gid, 1001);
      assert.equal(hosts.mode & 0o7777, 0o600);
      assert.equal(hosts.mtime.toISOString(), "2024-01-02T03:04:05.000Z");
      assert.equal((await fs.stat(path.join(diff, "bin/tool"))).mode & 0o7777, 0o4755);
      assert.equal((await fs.stat(path.join(diff, "bin"))).mode & 0o7777, 0o711);
      assert.equal((await fs.stat(path.join(diff, "bin/alias"))).ino, (await fs.stat(path.join(diff, "bin/tool"))).ino);
      assert.equal(await fs.readlink(path.join(diff, "bin/abs")), "/bin/tool");
      assert.equal((await fs.lstat(path.join(diff, "bin/abs"))).uid, 7);
      assert.ok((await fs.lstat(path.join(diff, "dev/fifo"))).isFIFO());
      assert.equal(layer.size, 20 + 18 + 5 + 16);
    });

    it("accepts gzip and gives the same diffID; applying twice reuses the layer", async () => {
      const again = await snap.applyLayer(undefined, Readable.from([gzipSync(base)]));
      assert.equal(again.diffId, sha256Digest(base));
      const hinted = await snap.applyLayer(undefined, Readable.from([base]), { diffId: sha256Digest(base) });
      assert.equal(hinted.chainId, again.chainId);
      const leftovers = (await fs.readdir(path.join(root, "overlay"))).filter((n) => n.startsWith("."));
      assert.deepEqual(leftovers, []);
    });

    it("accepts xz and bzip2 through the Debian binaries", async () => {
      for (const tool of ["xz", "bzip2"]) {
        const packed = await new Promise<Buffer>((resolve, reject) => {
          const child = execFile(tool, ["-c"], { encoding: "buffer", maxBuffer: 1 << 24 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
          child.stdin!.end(base);
        });
        const layer = await snap.applyLayer(undefined, Readable.from([packed]));
        assert.equal(layer.diffId, sha256Digest(base), tool);
      }
    });

    it("converts whiteouts and opaque dirs, and an overlay mount honours them", async () => {
      const l0 = await snap.applyLayer(undefined, Readable.from([base]));
      const l1 = await snap.applyLayer(l0.chainId, Readable.from([top]));
      assert.equal(l1.chainId, sha256Digest(`${l0.chainId} ${l1.diffId}`));
      const lowers = snap.lowerDirs(l1.chainId);
      assert.equal(lowers.length, 2);
      const wh = await fs.stat(path.join(lowers[0], "gone"));
      assert.ok(wh.isCharacterDevice());
      assert.equal(wh.rdev, 0);
      assert.ok(await isOpaque(path.join(lowers[0], "data")));

      const key = `test-${process.pid}-${Date.now()}`;
      const s = await snap.prepare(key, l1.chainId);
      assert.deepEqual(s.lowerDirs, lowers);
      await mountOverlay(s.lowerDirs, s.upperDir, s.workDir, s.mergedDir);
      try {
        await assert.rejects(fs.access(path.join(s.mergedDir, "gone")), { code: "ENOENT" });
        assert.deepEqual((await fs.readdir(path.join(s.mergedDir, "data"))).sort(), ["new"]);
        assert.equal(await fs.readFile(path.join(s.mergedDir, "etc/hosts"), "utf8"), "127.0.0.1 localhost\n");
        assert.equal(await fs.readFile(path.join(s.mergedDir, "etc/motd"), "utf8"), "hello\n");
        await fs.writeFile(path.join(s.mergedDir, "written"), "x".repeat(1000));
        assert.equal(await snap.usage(key), 1000);
        await assert.rejects(snap.remove(key), ConflictError);
      } finally {
        await run("umount", [s.mergedDir]);
      }
      await snap.remove(key);
      await assert.rejects(fs.access(s.mergedDir), { code: "ENOENT" });
      assert.ok(await snap.hasLayer(l1.chainId), "removing a container snapshot keeps its layers");
    });

    it("never writes outside the layer", async () => {
      // Like dockerd: names are joined to the layer root, so ".." stops there; a hard link to a missing file fails.
      const hardlink = buildTar([{ path: "pw", type: "Link", linkpath: "../../../../etc/passwd" }]);
      await assert.rejects(snap.applyLayer(undefined, Readable.from([hardlink])), ArchiveError);
      // A symlink to / (or climbing with "..") followed by a path through it lands inside the layer, chroot-style.
      const marker = `wharf-escape-${process.pid}-${Date.now()}`;
      const viaLink = buildTar([
        { path: "../escaped", body: "c" },
        { path: "up", type: "SymbolicLink", linkpath: "/" },
        { path: "up2", type: "SymbolicLink", linkpath: "../../../../tmp" },
        { path: "tmp", type: "Directory" },
        { path: `up/tmp/${marker}`, body: "a" },
        { path: `up2/${marker}-2`, body: "b" },
      ]);
      const layer = await snap.applyLayer(undefined, Readable.from([viaLink]));
      const [diff] = snap.lowerDirs(layer.chainId);
      assert.equal(await fs.readFile(path.join(diff, "escaped"), "utf8"), "c");
      assert.equal(await fs.readFile(path.join(diff, "tmp", marker), "utf8"), "a");
      assert.equal(await fs.readFile(path.join(diff, "tmp", `${marker}-2`), "utf8"), "b");
      await assert.rejects(fs.access(path.join("/tmp", marker)), { code: "ENOENT" });
      await assert.rejects(fs.access(path.join(root, "..", "escaped")), { code: "ENOENT" });
      const leftovers = (await fs.readdir(path.join(root, "overlay"))).filter((n) => n.startsWith("."));
      assert.deepEqual(leftovers, []);
      await snap.removeLayer(layer.chainId);
      assert.equal(await snap.hasLayer(layer.chainId), false);
    });

    it("rejects data that is not a tar", async () => {
      await assert.rejects(snap.applyLayer(undefined, Readable.from([Buffer.from("this is not a tar archive, not at all ".repeat(40))])));
    });

    it("prepares a snapshot without parent using an empty lower dir", async () => {
      const key = `empty-${process.pid}-${Date.now()}`;
      const s = await snap.prepare(key, undefined);
      assert.equal(s.lowerDirs.length, 1);
      assert.deepEqual(await fs.readdir(s.lowerDirs[0]), []);
      await snap.remove(key);
    });
  });
}
