import { execFile } from "node:child_process";
import { createReadStream, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { buildTar } from "../../snapshot/test-tar.js";
import { makeBusyboxTar } from "../../image/test-fixtures.js";
import { ImageService } from "./image-service.js";
import type { ImageUser } from "./types.js";

const run = promisify(execFile);

describe("image service", () => {
  let dataRoot: string;
  let fixture: { tar: string; dir: string };
  const users = new Map<string, ImageUser>();
  /** Layers the (pretend) containers stand on: garbage-collection roots, as the daemon wires them. */
  const containerLayers: string[] = [];
  const events: string[] = [];
  let svc: ImageService;

  before(async () => {
    dataRoot = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-images-"));
    fixture = await makeBusyboxTar({ gzip: true });
    svc = new ImageService({
      dataRoot, isImageInUse: (id) => users.get(id), onEvent: (a, id) => events.push(`${a} ${id}`),
      containerRoots: () => ({ layers: containerLayers, snapshots: [] }),
    });
  });
  after(async () => {
    await fs.rm(dataRoot, { recursive: true, force: true });
    await fs.rm(fixture.dir, { recursive: true, force: true });
  });

  const importTiny = (content: string, repo?: string, changes: string[] = []) =>
    svc.importImage(Readable.from([buildTar([{ path: "file", body: content }])]), { repo, changes });

  it("imports a busybox rootfs that runs, with CMD from changes", async () => {
    const { id, ref } = await svc.importImage(createReadStream(fixture.tar), { repo: "wharf-test/busybox", tag: "1", changes: ['CMD ["sh"]'] });
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(ref, "wharf-test/busybox:1");
    const img = await svc.inspect("wharf-test/busybox:1");
    assert.equal(img.id, id);
    assert.deepEqual(img.config.Cmd, ["sh"]);
    assert.deepEqual(img.repoTags, ["wharf-test/busybox:1"]);
    assert.equal(img.rootFS.layers.length, 1);
    assert.equal(img.os, "linux");
    assert.equal(img.comment, "Imported from -");
    assert.ok(img.size > 500_000, `size ${img.size}`);
    assert.equal(img.graphDriver.name, "overlay2");
    assert.ok(img.lastTagTime);

    const forContainer = await svc.resolveForContainer("wharf-test/busybox:1");
    assert.equal(forContainer.id, id);
    assert.equal(forContainer.lowerDirs.length, 1);
    const lower = forContainer.lowerDirs[0];
    assert.equal((await fs.stat(path.join(lower, "bin/sh"))).ino, (await fs.stat(path.join(lower, "bin/busybox"))).ino);
    // The extracted tree is a usable root filesystem.
    const { stdout } = await run("chroot", [lower, "/bin/sh", "-c", "echo hello from $(basename /bin/busybox)"]);
    assert.equal(stdout, "hello from busybox\n");

    const history = await svc.history(id);
    assert.equal(history.length, 1);
    assert.equal(history[0].id, id);
    assert.equal(history[0].comment, "Imported from -");
    assert.deepEqual(history[0].tags, ["wharf-test/busybox:1"]);
    assert.ok(events.includes(`import ${id}`));
  });

  it("resolves by ID, sha256: ID, unique prefix and reports unknown names like Docker", async () => {
    const { id } = await importTiny("prefix test");
    const hex = id.slice(7);
    for (const name of [id, hex, hex.slice(0, 12), `sha256:${hex.slice(0, 10)}`]) {
      assert.equal((await svc.inspect(name)).id, id, name);
    }
    await assert.rejects(svc.inspect("nosuchimage"), { message: "No such image: nosuchimage:latest" });
    await assert.rejects(svc.inspect("0000000000ff"), NotFoundError);
    await assert.rejects(svc.inspect("Bad_Name"), InvalidArgumentError);
  });

  it("tags, untags and deletes with Docker's rules", async () => {
    const { id } = await importTiny("tag test", "wharf-test/a:v1");
    await svc.tag(id.slice(7, 19), "wharf-test/b", "v2");
    await svc.tag("wharf-test/a:v1", "wharf-test/a:v3");
    assert.deepEqual((await svc.inspect(id)).repoTags, ["wharf-test/a:v1", "wharf-test/a:v3", "wharf-test/b:v2"]);

    await assert.rejects(svc.remove(id.slice(7, 19)), {
      message: `conflict: unable to delete ${id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
    });
    assert.deepEqual(await svc.remove("wharf-test/b:v2"), [{ Untagged: "wharf-test/b:v2" }]);
    assert.deepEqual(await svc.remove("wharf-test/a:v3"), [{ Untagged: "wharf-test/a:v3" }]);
    const layerDir = (await svc.resolveForContainer(id)).lowerDirs[0];
    const out = await svc.remove("wharf-test/a:v1");
    assert.deepEqual(out.slice(0, 2), [{ Untagged: "wharf-test/a:v1" }, { Deleted: id }]);
    assert.equal(out.length, 3, "the layer is deleted too");
    await assert.rejects(fs.access(layerDir), { code: "ENOENT" });
    await assert.rejects(svc.inspect(id), NotFoundError);
  });

  it("deleting by ID untags a single tag, but several tags need force", async () => {
    const { id } = await importTiny("one repo", "wharf-test/one:x");
    const out = await svc.remove(id);
    assert.deepEqual(out.slice(0, 2), [{ Untagged: "wharf-test/one:x" }, { Deleted: id }]);

    const two = await importTiny("two tags", "wharf-test/two:x");
    await svc.tag(two.id, "wharf-test/two", "y");
    await assert.rejects(svc.remove(two.id), /image is referenced in multiple repositories/);
    const forced = await svc.remove(two.id, { force: true });
    assert.deepEqual(forced.slice(0, 3), [{ Untagged: "wharf-test/two:x" }, { Untagged: "wharf-test/two:y" }, { Deleted: two.id }]);
  });

  it("keeps images that containers use", async () => {
    const { id } = await importTiny("used image", "wharf-test/used:1");
    const short = id.slice(7, 19);
    users.set(id, { containerId: "c0ffee000000aaaabbbbccccddddeeeeffff00001111222233334444555566667777".slice(0, 64), running: false });
    await assert.rejects(svc.remove("wharf-test/used:1"), {
      message: `conflict: unable to remove repository reference "wharf-test/used:1" (must force) - container c0ffee000000 is using its referenced image ${short}`,
    });
    await assert.rejects(svc.remove(id), { message: `conflict: unable to delete ${short} (must be forced) - image is being used by stopped container c0ffee000000` });

    users.set(id, { containerId: "c0ffee000000", running: true });
    await assert.rejects(svc.remove(id, { force: true }), {
      message: `conflict: unable to delete ${short} (cannot be forced) - image is being used by running container c0ffee000000`,
    });
    // Forcing by name only untags; the image stays (dangling) under the running container.
    assert.deepEqual(await svc.remove("wharf-test/used:1", { force: true }), [{ Untagged: "wharf-test/used:1" }]);
    assert.equal((await svc.inspect(id)).repoTags.length, 0);

    users.set(id, "c0ffee000000");
    const top = (await svc.resolveForContainer(id)).topChainId!;
    containerLayers.push(top);
    const forced = await svc.remove(id, { force: true });
    assert.deepEqual(forced, [{ Deleted: id }], "a stopped container's image is deleted with force, its layers kept");
    assert.ok(await svc.snapshotter.hasLayer(top));
    users.delete(id);
    containerLayers.pop();
    await svc.collect();
    assert.equal(await svc.snapshotter.hasLayer(top), false, "once the container is gone, the layer is garbage");
    await assert.rejects(svc.tag("nosuch", "x"), { message: "No such image: nosuch:latest" });
    await assert.rejects(svc.tag((await importTiny("t")).id, "x@sha256:" + "a".repeat(64)), {
      message: "refusing to create a tag with a digest reference",
    });
  });

  it("lists with filters and prunes dangling, then unused images", async () => {
    const dangling = await importTiny("dangling one", undefined, ["LABEL tier=tmp"]);
    const kept = await importTiny("kept one", "wharf-test/kept:1", ["LABEL tier=keep"]);
    const all = await svc.list();
    assert.ok(all.some((i) => i.id === dangling.id && i.repoTags.length === 0));
    const onlyDangling = await svc.list({ filters: new Map([["dangling", ["true"]]]) });
    assert.ok(onlyDangling.every((i) => i.repoTags.length === 0));
    assert.deepEqual((await svc.list({ filters: new Map([["reference", ["wharf-test/kex*"]]]) })).map((i) => i.id), []);
    assert.deepEqual((await svc.list({ filters: new Map([["reference", ["wharf-test/kept"]]]) })).map((i) => i.id), [kept.id]);
    assert.deepEqual((await svc.list({ filters: new Map([["label", ["tier=keep"]]]) })).map((i) => i.id), [kept.id]);
    await assert.rejects(svc.list({ filters: new Map([["dangling", ["maybe"]]]) }), { message: "invalid filter 'dangling=maybe'" });
    await assert.rejects(svc.list({ filters: new Map([["nope", ["x"]]]) }), InvalidArgumentError);

    const pruned = await svc.prune();
    const deleted = (pruned.ImagesDeleted ?? []).map((d) => ("Deleted" in d ? d.Deleted : d.Untagged));
    assert.ok(deleted.includes(dangling.id));
    assert.ok(!deleted.includes(kept.id));
    assert.ok(pruned.SpaceReclaimed > 0);

    const pruneAll = await svc.prune({ filters: new Map([["dangling", ["false"]], ["label", ["tier=keep"]]]) });
    assert.deepEqual(pruneAll.ImagesDeleted?.slice(0, 2), [{ Untagged: "wharf-test/kept:1" }, { Deleted: kept.id }]);
    assert.equal((await svc.prune()).ImagesDeleted, null);
  });

  it("survives a restart: a new service on the same data root sees the same images", async () => {
    const { id } = await importTiny("persisted", "wharf-test/persist:1");
    const again = new ImageService({ dataRoot, isImageInUse: () => undefined });
    assert.equal((await again.inspect("wharf-test/persist:1")).id, id);
    assert.equal((await again.count()).images, (await svc.count()).images);
  });
});
