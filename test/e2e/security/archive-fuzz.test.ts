import assert from "node:assert/strict";
import fc from "fast-check";
import { after, before, describe, test } from "node:test";
import { Canary } from "../../helpers/canary.js";
import { run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { dockerArchive, rawTar, type RawEntry } from "../../helpers/raw-tar.js";
import { apiRaw, outcomeOf } from "./escape-helpers.js";

/**
 * Random hostile tars (fast-check) through `import`, `load` and `cp`: names
 * built from "..", ".", links and the canary's path, every type flag, odd
 * modes, ids, sizes and PAX records, truncated archives. Whatever comes, the
 * canary stays untouched, every answer is bounded (no JavaScript error in
 * it) and the daemon stays up. `npm test` runs a few dozen cases;
 * `npm run fuzz:archives` runs many more (WHARF_FUZZ_RUNS, WHARF_FUZZ_SEED).
 */
const RUNS = Number(process.env.WHARF_FUZZ_RUNS ?? 25);
const SEED = process.env.WHARF_FUZZ_SEED === undefined ? undefined : Number(process.env.WHARF_FUZZ_SEED);

function base256(n: bigint): Buffer {
  const b = Buffer.alloc(12);
  let v = n < 0n ? (1n << 95n) + n : n;
  for (let i = 11; i >= 1; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  b[0] = n < 0n ? 0xff : 0x80;
  return b;
}

function tarArbitrary(canary: Canary): fc.Arbitrary<{ entries: RawEntry[]; unterminated: boolean }> {
  const outside = canary.dir;
  const part = fc.constantFrom("..", ".", "", "a", "b", "l", "d", "tmp", outside.slice(1), ".wh.a", ".wh..wh..opq", "x".repeat(60));
  const name = fc.oneof(
    fc.constantFrom("..", "/", "a", "l", "l/x", "d/x", outside, `${outside}/x`, `../../../..${outside}/x`, "/../../etc/x"),
    fc.array(part, { minLength: 1, maxLength: 6 }).map((p) => p.join("/")),
    fc.tuple(fc.boolean(), fc.array(part, { minLength: 1, maxLength: 4 })).map(([abs, p]) => (abs ? "/" : "") + p.join("/")),
  );
  const paxValue = fc.oneof(name, fc.string({ maxLength: 20 }), fc.constantFrom("-1", "NaN", "1e309", "99999999999999999999", "", "0x10", "\u0000"));
  const paxKey = fc.constantFrom("path", "linkpath", "size", "uid", "gid", "mtime", "atime", "mode", "uname", "__proto__", "constructor",
    "GNU.sparse.realsize", "GNU.sparse.major", "SCHILY.xattr.user.x", "SCHILY.xattr.security.capability", "comment", "", "x=y");
  const entry: fc.Arbitrary<RawEntry> = fc.record({
    name,
    type: fc.constantFrom("0", "0", "0", "1", "2", "2", "3", "4", "5", "5", "6", "7", "x", "g", "L", "K", "S", "V", "Z"),
    mode: fc.oneof(fc.constant(0o644), fc.constant(0o4755), fc.integer({ min: 0, max: 0o7777 })),
    uid: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0o7777777 })),
    gid: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0o7777777 })),
    linkname: name,
    devmajor: fc.integer({ min: 0, max: 300 }),
    devminor: fc.integer({ min: 0, max: 300 }),
    body: fc.oneof(fc.constant(""), fc.string({ maxLength: 40 }), fc.constant("x".repeat(700))),
    size: fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: 0, max: 2048 }),
      fc.constant(0o77777777777),
      fc.constant(base256(-1n)),
      fc.constant(base256(100n * 1024n ** 3n)),
    ),
    pax: fc.option(fc.array(fc.tuple(paxKey, paxValue), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  }, { requiredKeys: ["name"] });
  return fc.record({ entries: fc.array(entry, { minLength: 1, maxLength: 10 }), unterminated: fc.boolean() });
}

describe("random hostile archives (fast-check)", () => {
  let d: TestDaemon;
  const canary = new Canary();
  const box = uniqueName("fuzz");

  before(async () => {
    await canary.create();
    d = await startTestDaemon();
    const r = await run("docker", ["run", "-d", "--network", "none", "--name", box, "busybox", "sleep", "3600"], { env: d.env });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await run("docker", ["rm", "-f", box], { env: d.env }).catch(() => undefined);
    await d?.stop();
    try {
      await canary.check("after the daemon stopped");
    } finally {
      await canary.remove();
    }
  });

  test(`${RUNS} random archives through import, load and cp`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(tarArbitrary(canary), async ({ entries, unterminated }) => {
        const tar = rawTar(entries, { unterminated });
        const i = n++;
        outcomeOf(await apiRaw(d.socket, "POST", `/images/create?fromSrc=-&repo=fuzz&tag=t${i % 5}`, tar), "import");
        outcomeOf(await apiRaw(d.socket, "POST", "/images/load?quiet=1", dockerArchive(tar, `fuzz-load:t${i % 5}`)), "load");
        const dir = `fz${i}`;
        assert.equal((await apiRaw(d.socket, "PUT", `/containers/${box}/archive?path=/`, rawTar([{ name: `${dir}/`, type: "5" }]))).status, 200);
        outcomeOf(await apiRaw(d.socket, "PUT", `/containers/${box}/archive?path=/${dir}`, tar), "cp");
        await canary.check(`archive ${i}`);
        assert.equal((await apiRaw(d.socket, "GET", "/_ping")).status, 200, "the daemon is alive");
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
