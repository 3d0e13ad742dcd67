import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDockerignore, PatternMatcher } from "./dockerignore.js";

const m = (lines: string, file: string) => new PatternMatcher(parseDockerignore(lines)).matches(file);

test("plain names, directories and parents", () => {
  assert.equal(m("secret.txt", "secret.txt"), true);
  assert.equal(m("secret.txt", "a/secret.txt"), false);
  assert.equal(m("node_modules/", "node_modules/x/y.js"), true);
  assert.equal(m("/node_modules", "node_modules"), true);
});

test("globs and **", () => {
  assert.equal(m("*.md", "README.md"), true);
  assert.equal(m("*.md", "docs/a.md"), false);
  assert.equal(m("**/*.md", "docs/a.md"), true);
  assert.equal(m("**/*.md", "a.md"), true);
  assert.equal(m("docs/**", "docs/x/y"), true);
  assert.equal(m("a?c", "abc"), true);
  assert.equal(m("a?c", "a/c"), false);
});

test("! exceptions, last match wins", () => {
  const ign = "*.txt\n!keep.txt\n# comment\n\n";
  assert.equal(m(ign, "secret.txt"), true);
  assert.equal(m(ign, "keep.txt"), false);
  assert.equal(m("!keep.txt\n*.txt", "keep.txt"), true);
  assert.equal(m("dir\n!dir/keep", "dir/keep"), false);
  assert.equal(m("dir\n!dir/keep", "dir/other"), true);
});
