import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDockerfile } from "./parser.js";
import { toDockerfile } from "./instructions.js";
import { processWord, processWords } from "./shell-lex.js";

test("continuations, comments, directives, heredocs", () => {
  const p = parseDockerfile("# escape=`\n# syntax=x\nFROM busybox AS b\nRUN echo a `\n# inside\n  && echo b\nCOPY <<EOF /f\nhello\nEOF\n");
  assert.equal(p.escape, "`");
  assert.equal(p.warnings.length, 1);
  assert.deepEqual(p.nodes.map((n) => [n.cmd, n.startLine]), [["from", 3], ["run", 4], ["copy", 7]]);
  assert.equal(p.nodes[1].rest, "echo a   && echo b");
  assert.deepEqual(p.nodes[2].heredocs, [{ name: "EOF", content: "hello\n", expand: true }]);
});

test("docker's parse errors", () => {
  assert.throws(() => parseDockerfile("FROM busybox\nFOO bar\n"), /^InvalidArgumentError: dockerfile parse error line 2: unknown instruction: FOO$/);
  assert.throws(() => { const p = parseDockerfile("FROM busybox\nSHELL echo\n"); toDockerfile(p.nodes, p.escape); }, /dockerfile parse error line 2: SHELL requires the arguments to be in JSON form/);
  assert.throws(() => { const p = parseDockerfile("FROM busybox\nENV A\n"); toDockerfile(p.nodes, p.escape); }, /failed to parse Dockerfile: ENV must have two arguments/);
});

test("variable substitution", () => {
  const env = new Map([["A", "x"], ["E", ""]]);
  assert.equal(processWord("${A:-d} ${B:-d} ${E:-d} ${E-d} ${A:+alt} ${B:+alt} '$A' \"$A\" \\$A", env), "x d d  alt  $A x $A");
  assert.deepEqual(processWords('a "b c" $A', env), ["a", "b c", "x"]);
});
