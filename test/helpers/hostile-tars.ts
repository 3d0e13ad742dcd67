import { rawTar, type RawEntry } from "./raw-tar.js";

/**
 * Named hostile archives (as filesystem tars: a layer, an import, a cp
 * payload, a build context). `outside` is a host directory (the canary) the
 * archive tries to reach. `layer` is what dockerd 20.10 does with it as an
 * image layer (import, load, pull: the destination is the root, so ".."
 * stops there), `cp` as a `docker cp` payload into a fresh directory:
 * "refused" (an error), "contained" (applied, everything inside the
 * destination) or "either" (dockerd refuses, wharf reads it harmlessly).
 */
export type Outcome = "refused" | "contained" | "either";

export interface HostileTar {
  name: string;
  tar: Buffer;
  layer: Outcome;
  cp: Outcome;
}

const file = (name: string, body = "x\n", extra: Partial<RawEntry> = {}): RawEntry => ({ name, body, ...extra });

/** A base-256 (GNU) number in a 12-byte field; negative numbers are two's complement with the high bit set. */
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

export function hostileTars(outside: string): HostileTar[] {
  const rel = outside.replace(/^\/+/, "");
  const deep = Array.from({ length: 2100 }, () => "d").join("/"); // 4199 bytes: past PATH_MAX
  const many: RawEntry[] = [{ name: "many/", type: "5" }];
  for (let i = 0; i < 4000; i++) many.push(file(`many/f${i}`, ""));
  return [
    { name: "dotdot", layer: "contained", cp: "refused", tar: rawTar([file(`../../../../../../..${outside}/dotdot`)]) },
    { name: "dotdot-inside-name", layer: "contained", cp: "refused", tar: rawTar([file("a/../../b")]) },
    { name: "absolute-name", layer: "contained", cp: "contained", tar: rawTar([file(`${outside}/absolute`)]) },
    { name: "symlink-relative-out", layer: "contained", cp: "refused", tar: rawTar([{ name: "l", type: "2", linkname: `../../../../../../..${outside}` }]) },
    { name: "symlink-absolute-then-file", layer: "refused", cp: "refused", tar: rawTar([{ name: "l", type: "2", linkname: outside }, file("l/through")]) },
    { name: "dir-swapped-for-symlink", layer: "refused", cp: "refused", tar: rawTar([{ name: "d/", type: "5" }, { name: "d", type: "2", linkname: outside }, file("d/through")]) },
    { name: "symlink-chain-then-file", layer: "refused", cp: "refused", tar: rawTar([{ name: "a", type: "2", linkname: "b" }, { name: "b", type: "2", linkname: outside }, file("a/through")]) },
    { name: "hardlink-relative-out", layer: "refused", cp: "refused", tar: rawTar([{ name: "h", type: "1", linkname: "../../../../../../etc/passwd" }]) },
    { name: "hardlink-absolute", layer: "refused", cp: "refused", tar: rawTar([{ name: "h", type: "1", linkname: `${outside}/passwd` }]) },
    { name: "hardlink-through-symlink", layer: "refused", cp: "refused", tar: rawTar([{ name: "l", type: "2", linkname: "/" }, { name: "h", type: "1", linkname: `l/${rel}/passwd` }]) },
    { name: "devices-fifo-setuid", layer: "contained", cp: "contained", tar: rawTar([
      { name: "dev/", type: "5" },
      { name: "dev/evilnull", type: "3", devmajor: 1, devminor: 3, mode: 0o666 },
      { name: "dev/evilsda", type: "4", devmajor: 8, devminor: 0, mode: 0o660 },
      { name: "dev/fifo", type: "6", mode: 0o644 },
      file("suid", "#!/bin/sh\n", { mode: 0o4755 }),
      file("sgid", "#!/bin/sh\n", { mode: 0o2755, gid: 50 }),
    ]) },
    { name: "huge-size", layer: "refused", cp: "refused", tar: rawTar([file("huge", "only ten b", { size: 0o77777777777 })], { unterminated: true }) },
    { name: "size-100g-base256", layer: "refused", cp: "refused", tar: rawTar([file("big", "tiny", { size: base256(100n * 1024n ** 3n) })], { unterminated: true }) },
    { name: "negative-size", layer: "either", cp: "either", tar: rawTar([file("neg", "", { size: base256(-1n) }), file("after", "after\n")]) },
    { name: "pax-odd-keys", layer: "refused", cp: "refused", tar: rawTar([file("pax-target", "p\n", { pax: [
      ["__proto__", "polluted"], ["constructor", "x"], ["mtime", "not-a-number"], ["uid", "-5"], ["gid", "abc"],
      ["SCHILY.xattr.security.capability", "\u0001\u0002"], ["comment", "x".repeat(5000)], ["made.up.key", "="], ["", "empty key"],
    ] })]) },
    { name: "pax-path-escape", layer: "contained", cp: "refused", tar: rawTar([file("innocent", "p\n", { pax: [["path", `../../../../../..${outside}/pax`]] })]) },
    { name: "pax-linkpath-escape", layer: "contained", cp: "refused", tar: rawTar([{ name: "innocent", type: "2", linkname: "ok", pax: [["linkpath", `../../../../../..${outside}`]] }]) },
    { name: "pax-size-negative", layer: "either", cp: "either", tar: rawTar([file("neg", "abc", { pax: [["size", "-1"]] })]) },
    { name: "pax-path-nul", layer: "either", cp: "either", tar: rawTar([file("innocent", "p\n", { pax: [["path", "a\u0000/../../b"]] })]) },
    { name: "pax-bad-length", layer: "either", cp: "either", tar: Buffer.concat([rawTar([{ name: "PaxHeaders/x", type: "x", body: "99999 path=x\n" }, file("after")])]) },
    { name: "gnu-sparse-100g", layer: "either", cp: "either", tar: rawTar([{ name: "sparse", type: "S", body: Buffer.alloc(512), size: 512 }, file("after-sparse")]) },
    { name: "pax-sparse-100g", layer: "either", cp: "either", tar: rawTar([file("GNUSparseFile.0/big", "1\n107374182399\n1\n".padEnd(512, "\0") + "z", { pax: [
      ["GNU.sparse.major", "1"], ["GNU.sparse.minor", "0"], ["GNU.sparse.name", "big"], ["GNU.sparse.realsize", "107374182400"],
    ] })]) },
    { name: "deep-nesting", layer: "refused", cp: "refused", tar: rawTar([file("ignored", "", { pax: [["path", `${deep}/leaf`]] })]) },
    { name: "many-entries", layer: "contained", cp: "contained", tar: rawTar(many) },
    { name: "not-a-tar", layer: "refused", cp: "refused", tar: Buffer.from("this is not a tar archive at all ".repeat(40)) },
    { name: "bad-checksum", layer: "refused", cp: "refused", tar: (() => {
      const t = rawTar([file("x")]);
      t[148] = 0x37;
      return t;
    })() },
  ];
}
