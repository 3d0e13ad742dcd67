import { test } from "node:test";
import assert from "node:assert/strict";
import { FlagError, parseFlags, type CommandDef } from "./flags.js";

const run: CommandDef = {
  path: "run",
  use: "[OPTIONS] IMAGE [COMMAND] [ARG...]",
  short: "",
  interspersed: false,
  flags: [
    { long: "env", short: "e", kind: "list", usage: "" },
    { long: "interactive", short: "i", kind: "bool", usage: "" },
    { long: "tty", short: "t", kind: "bool", usage: "" },
    { long: "detach", short: "d", kind: "bool", usage: "" },
    { long: "rm", kind: "bool", usage: "" },
    { long: "name", kind: "string", usage: "" },
    { long: "hostname", short: "h", kind: "string", usage: "" },
    { long: "stop-timeout", kind: "int", usage: "" },
  ],
};
const ps: CommandDef = { path: "ps", use: "[OPTIONS]", short: "", flags: [{ long: "all", short: "a", kind: "bool", usage: "" }, { long: "last", short: "n", kind: "int", default: -1, usage: "" }] };

test("short flags combine and take values in all docker spellings", () => {
  const p = parseFlags(run, ["-dit", "-e", "A=1", "-eB=2", "-e=C=3", "--env", "D=4", "--env=E=5", "busybox", "sh"]);
  assert.equal(p.values.get("detach"), true);
  assert.equal(p.values.get("interactive"), true);
  assert.equal(p.values.get("tty"), true);
  assert.deepEqual(p.values.get("env"), ["A=1", "B=2", "C=3", "D=4", "E=5"]);
  assert.deepEqual(p.args, ["busybox", "sh"]);
});

test("booleans accept =false and parsing stops at the image for run", () => {
  const p = parseFlags(run, ["--rm=false", "--name", "x", "busybox", "ls", "-la", "--rm"]);
  assert.equal(p.values.get("rm"), false);
  assert.equal(p.values.get("name"), "x");
  assert.deepEqual(p.args, ["busybox", "ls", "-la", "--rm"]);
  assert.ok(p.changed.has("rm"));
});

test("-h is hostname for run but help elsewhere; -- ends flags", () => {
  assert.equal(parseFlags(run, ["-h", "box", "img"]).values.get("hostname"), "box");
  assert.equal(parseFlags(ps, ["-h"]).help, true);
  assert.equal(parseFlags(run, ["--help"]).help, true);
  assert.deepEqual(parseFlags(ps, ["--", "-a"]).args, ["-a"]);
});

test("interspersed positionals for other commands, int defaults", () => {
  const p = parseFlags(ps, ["x", "-a", "-n", "3"]);
  assert.deepEqual(p.args, ["x"]);
  assert.equal(p.values.get("last"), 3);
  assert.equal(parseFlags(ps, []).values.get("last"), -1);
});

test("errors use pflag's wording", () => {
  assert.throws(() => parseFlags(ps, ["--foo"]), new FlagError("unknown flag: --foo"));
  assert.throws(() => parseFlags(ps, ["-ax"]), new FlagError("unknown shorthand flag: 'x' in -ax"));
  assert.throws(() => parseFlags(run, ["--name"]), new FlagError("flag needs an argument: --name"));
  assert.throws(() => parseFlags(run, ["-e"]), new FlagError("flag needs an argument: 'e' in -e"));
  assert.throws(() => parseFlags(ps, ["-n", "abc"]), new FlagError('invalid argument "abc" for "-n, --last" flag: strconv.ParseInt: parsing "abc": invalid syntax'));
  assert.throws(() => parseFlags(run, ["--rm=maybe"]), /strconv.ParseBool: parsing "maybe": invalid syntax/);
});
