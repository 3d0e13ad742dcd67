import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, ConnectionError } from "../client/api-error.js";
import { errorText, runExitCode } from "./exit-codes.js";

test("run exit codes follow docker's toStatusError", () => {
  assert.equal(runExitCode('exec: "nosuchcmd": executable file not found in $PATH: unknown'), 127);
  assert.equal(runExitCode("open /x: no such file or directory"), 127);
  assert.equal(runExitCode('exec: "/etc": permission denied: unknown'), 126);
  assert.equal(runExitCode("read /x: is a directory"), 126);
  assert.equal(runExitCode("No such image: nope:1"), 125);
});

test("error text", () => {
  assert.equal(errorText(new ApiError(404, "No such container: x")), "Error response from daemon: No such container: x");
  assert.equal(errorText(new ConnectionError("unix:///s.sock", "ENOENT")), "Cannot connect to the Docker daemon at unix:///s.sock. Is the docker daemon running?");
});
