import assert from "node:assert/strict";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InvalidArgumentError } from "../../lib/errors.js";
import { makeRootfs } from "./testing.js";
import { resolveUser } from "./user.js";

describe("resolveUser", () => {
  let fx: Awaited<ReturnType<typeof makeRootfs>>;
  before(async () => {
    fx = await makeRootfs();
  });
  after(() => fx.cleanup());

  it("defaults to root with root's home", async () => {
    assert.deepEqual(await resolveUser(fx.rootfs, ""), { uid: 0, gid: 0, additionalGids: [0], home: "/root" });
    assert.deepEqual(await resolveUser(fx.rootfs, "root"), { uid: 0, gid: 0, additionalGids: [0], home: "/root" });
  });

  it("resolves a named user with its primary and supplementary groups", async () => {
    const u = await resolveUser(fx.rootfs, "alice");
    assert.deepEqual(u, { uid: 1000, gid: 1000, additionalGids: [1000, 50, 29], home: "/home/alice" });
  });

  it("takes an explicit group instead of the supplementary ones", async () => {
    assert.deepEqual(await resolveUser(fx.rootfs, "alice:staff"), { uid: 1000, gid: 50, additionalGids: [50], home: "/home/alice" });
    assert.deepEqual(await resolveUser(fx.rootfs, "bob:4242"), { uid: 1001, gid: 4242, additionalGids: [4242], home: "/home/bob" });
  });

  it("accepts numeric ids with or without a passwd entry", async () => {
    assert.deepEqual(await resolveUser(fx.rootfs, "1001"), { uid: 1001, gid: 1001, additionalGids: [1001, 50], home: "/home/bob" });
    assert.deepEqual(await resolveUser(fx.rootfs, "4321"), { uid: 4321, gid: 0, additionalGids: [0], home: "/" });
    assert.deepEqual(await resolveUser(fx.rootfs, "4321:77"), { uid: 4321, gid: 77, additionalGids: [77], home: "/" });
  });

  it("adds --group-add groups by name or number", async () => {
    const u = await resolveUser(fx.rootfs, "bob", ["audio", "tty", "9999"]);
    assert.deepEqual(u.additionalGids, [1001, 50, 29, 5, 9999]);
  });

  it("rejects unknown names like Docker", async () => {
    await assert.rejects(resolveUser(fx.rootfs, "foo"), (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError);
      assert.equal(e.message, "unable to find user foo: no matching entries in passwd file");
      return true;
    });
    await assert.rejects(resolveUser(fx.rootfs, "alice:nogroup"), /unable to find group nogroup: no matching entries in group file/);
    await assert.rejects(resolveUser(fx.rootfs, "alice", ["nogroup"]), /Unable to find group nogroup/);
  });

  it("works without /etc/passwd for numeric users only", async () => {
    const empty = join(fx.dir, "empty");
    await mkdir(empty);
    assert.deepEqual(await resolveUser(empty, "0"), { uid: 0, gid: 0, additionalGids: [0], home: "/root" });
    assert.deepEqual(await resolveUser(empty, "12:34"), { uid: 12, gid: 34, additionalGids: [34], home: "/" });
    await assert.rejects(resolveUser(empty, "alice"), InvalidArgumentError);
  });

  it("resolves /etc/passwd symlinks inside the rootfs, never on the host", async () => {
    const evil = join(fx.dir, "evil");
    await mkdir(join(evil, "etc"), { recursive: true });
    await mkdir(join(evil, "data"), { recursive: true });
    // Absolute targets and ".." are interpreted inside the rootfs: this link points at itself
    // there, so resolution fails instead of reading the host's /etc/passwd.
    await symlink("/../../../../../../etc/passwd", join(evil, "etc/passwd"));
    await assert.rejects(resolveUser(evil, "daemon"), /too many levels of symbolic links/);
    // A symlink that stays inside the rootfs is followed.
    await rm(join(evil, "etc/passwd"));
    await writeFile(join(evil, "data/pw"), "zed:x:77:88::/z:/bin/sh\n");
    await symlink("../data/pw", join(evil, "etc/passwd"));
    assert.deepEqual(await resolveUser(evil, "zed"), { uid: 77, gid: 88, additionalGids: [88], home: "/z" });
  });
});
