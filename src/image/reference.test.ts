import { test } from "node:test";
import assert from "node:assert/strict";
import {
  familiarMatch, familiarName, familiarString, fullString, parseNormalizedReference, validateTag, withDefaultTag,
} from "./reference.js";

const HEX = "a".repeat(64);

test("normalises references like the docker CLI", () => {
  const table: Array<[string, string, string]> = [
    // input, fully qualified with default tag, familiar form
    ["busybox", "docker.io/library/busybox:latest", "busybox:latest"],
    ["busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36"],
    ["library/busybox", "docker.io/library/busybox:latest", "busybox:latest"],
    ["docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest"],
    ["index.docker.io/library/busybox", "docker.io/library/busybox:latest", "busybox:latest"],
    ["user/repo", "docker.io/user/repo:latest", "user/repo:latest"],
    ["user/repo:V1.0_rc-1", "docker.io/user/repo:V1.0_rc-1", "user/repo:V1.0_rc-1"],
    ["localhost:5000/x:tag", "localhost:5000/x:tag", "localhost:5000/x:tag"],
    ["localhost/x", "localhost/x:latest", "localhost/x:latest"],
    ["quay.io/a/b/c", "quay.io/a/b/c:latest", "quay.io/a/b/c:latest"],
    ["[::1]:5000/img", "[::1]:5000/img:latest", "[::1]:5000/img:latest"],
    [`busybox@sha256:${HEX}`, `docker.io/library/busybox@sha256:${HEX}`, `busybox@sha256:${HEX}`],
    [`busybox:1@sha256:${HEX}`, `docker.io/library/busybox:1@sha256:${HEX}`, `busybox:1@sha256:${HEX}`],
    ["my-repo/sub.path__x", "docker.io/my-repo/sub.path__x:latest", "my-repo/sub.path__x:latest"],
  ];
  for (const [input, full, familiar] of table) {
    const ref = withDefaultTag(parseNormalizedReference(input));
    assert.equal(fullString(ref), full, input);
    assert.equal(familiarString(ref), familiar, input);
  }
  assert.equal(familiarName(parseNormalizedReference("docker.io/library/a/b")), "library/a/b");
});

test("rejects invalid references with Docker's messages", () => {
  const table: Array<[string, RegExp]> = [
    ["Busybox", /^invalid reference format: repository name \(library\/Busybox\) must be lowercase$/],
    ["user/Repo:tag", /^invalid reference format: repository name \(user\/Repo\) must be lowercase$/],
    ["busybox:", /^invalid reference format$/],
    ["-busybox", /^invalid reference format$/],
    ["busy box", /^invalid reference format$/],
    ["busybox:tag with space", /^invalid reference format$/],
    [":tag", /^invalid reference format$/],
    ["", /^invalid reference format/],
    ["my_repo.name/x", /^invalid reference format$/],
    ["busybox@sha256:abc", /^invalid reference format/],
    [HEX, /^invalid repository name \(a+\), cannot specify 64-byte hexadecimal strings$/],
    ["a/" + "b".repeat(300), /must not be more than 255 characters/],
  ];
  for (const [input, message] of table) assert.throws(() => parseNormalizedReference(input), { message }, JSON.stringify(input));
  assert.throws(() => validateTag("-bad"), /invalid tag format/);
  validateTag("v1.2_3-x");
});

test("reference filter globs match the familiar name or string", () => {
  const ref = withDefaultTag(parseNormalizedReference("busybox"));
  assert.ok(familiarMatch("busybox", ref));
  assert.ok(familiarMatch("busy*", ref));
  assert.ok(familiarMatch("busybox:lat*", ref));
  assert.ok(!familiarMatch("busybox:1*", ref));
  assert.ok(!familiarMatch("*box/x", ref));
  const deep = withDefaultTag(parseNormalizedReference("localhost:5000/team/app:v2"));
  assert.ok(familiarMatch("localhost:5000/team/*", deep));
  assert.ok(!familiarMatch("*", deep), "* does not cross /");
  assert.ok(familiarMatch("localhost:5000/team/app:v[0-9]", deep));
});
