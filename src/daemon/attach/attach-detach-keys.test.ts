import assert from "node:assert/strict";
import { test } from "node:test";
import { DetachKeyScanner, parseDetachKeys } from "./detach-keys.js";

test("detach keys parse like docker's", () => {
  assert.deepEqual([...parseDetachKeys("ctrl-p,ctrl-q")], [16, 17]);
  assert.deepEqual([...parseDetachKeys("a,ctrl-@")], [97, 0]);
  assert.throws(() => parseDetachKeys("ctrl-pq"), /Invalid detach keys/);
});

test("the scanner forwards ordinary bytes and detects the sequence across chunks", () => {
  const s = new DetachKeyScanner(parseDetachKeys("ctrl-p,ctrl-q"));
  assert.deepEqual(s.push(Buffer.from("ab")), { forward: Buffer.from("ab"), detach: false });
  assert.deepEqual(s.push(Buffer.from([16])), { forward: Buffer.alloc(0), detach: false });
  assert.deepEqual(s.push(Buffer.from("x")), { forward: Buffer.from([16, 120]), detach: false });
  assert.deepEqual(s.push(Buffer.from([16, 16])), { forward: Buffer.from([16]), detach: false });
  assert.equal(s.push(Buffer.from([17, 65])).detach, true);
});
