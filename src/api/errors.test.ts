import assert from "node:assert/strict";
import { test } from "node:test";
import { publicErrorMessage } from "./errors.js";
import { ConflictError } from "../lib/errors.js";

test("a JavaScript TypeError never reaches the client as is", () => {
  let typeError: unknown;
  try {
    Object.keys(null as unknown as object);
  } catch (e) {
    typeError = e;
  }
  const msg = publicErrorMessage(typeError, "POST /build");
  assert.doesNotMatch(msg, /Cannot convert|null|undefined/);
  assert.match(msg, /internal error in the daemon while handling POST \/build/);
  assert.equal(publicErrorMessage(new ConflictError("name in use"), "x"), "name in use");
  assert.equal(publicErrorMessage(Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" }), "x"), "ENOENT: no such file");
});
