import assert from "node:assert/strict";
import { test } from "node:test";
import { anonymousVolume, parseApiMount, parseBind, parseTmpfs } from "./mount-spec.js";

test("binds: host paths are binds, names are volumes, modes are parsed", () => {
  assert.deepEqual(parseBind("/mnt/session_data:/data:ro"), {
    Type: "bind", Source: "/mnt/session_data", Destination: "/data", Mode: "ro", RW: false, Propagation: "rprivate", CreateHostPath: true,
  });
  const v = parseBind("my-data:/app/");
  assert.equal(v.Type, "volume");
  assert.equal(v.Name, "my-data");
  assert.equal(v.Destination, "/app");
  assert.equal(v.CopyData, true);
  assert.equal(parseBind("my-data:/app:nocopy").CopyData, false);
  assert.equal(parseBind("/h:/c:rshared").Propagation, "rshared");
  assert.throws(() => parseBind("/h:/c:bogus"), /invalid mode: bogus/);
  assert.throws(() => parseBind("/h:rel"), /must be absolute/);
  assert.throws(() => parseBind("/h:/"), /destination can't be '\/'/);
  assert.throws(() => parseBind("justone"), /invalid volume specification/);
});

test("--mount: bind needs an existing source, volume without source is anonymous, tmpfs takes size and mode", () => {
  assert.throws(() => parseApiMount({ Type: "bind", Source: "/does/not/exist/x", Target: "/x" }), /bind source path does not exist: \/does\/not\/exist\/x/);
  assert.throws(() => parseApiMount({ Type: "volume", Target: "" }), /field Target must not be empty/);
  const anon = parseApiMount({ Type: "volume", Target: "/v" });
  assert.equal(anon.Anonymous, true);
  assert.equal(anon.Name, undefined);
  const t = parseApiMount({ Type: "tmpfs", Target: "/t", TmpfsOptions: { SizeBytes: 1024, Mode: 0o1777 } });
  assert.deepEqual(t.TmpfsOptions, ["size=1024", "mode=1777"]);
  assert.throws(() => parseApiMount({ Type: "tmpfs", Source: "x", Target: "/t" }), /Source must not be specified/);
  assert.throws(() => parseApiMount({ Type: "weird", Target: "/t" }), /mount type unknown/);
});

test("--tmpfs and anonymous volumes", () => {
  const t = parseTmpfs("/run", "rw,size=64m,noexec");
  assert.equal(t.Hidden, true);
  assert.deepEqual(t.TmpfsOptions, ["rw", "size=64m", "noexec"]);
  assert.throws(() => parseTmpfs("/run", "bogus=1"), /invalid tmpfs option/);
  assert.equal(anonymousVolume("/var/lib/data/").Destination, "/var/lib/data");
});
