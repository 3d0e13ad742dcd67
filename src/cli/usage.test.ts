import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { argsErrorText, flagErrorText, helpText } from "./usage.js";
import type { CommandDef } from "./flags.js";

// Goldens: `docker <cmd> --help` from docker CLI 28.2 with "docker" → "wharf".
const fixtures = new URL("../../../test/fixtures/cli/", import.meta.url);
const golden = (name: string) => readFileSync(new URL(`${name}.golden`, fixtures), "utf8");

async function def(module: string, path: string): Promise<CommandDef> {
  const mod = (await import(module)) as { command: Omit<CommandDef, "path"> };
  return { ...mod.command, path };
}

test("help text matches docker's layout and pflag wrapping", async () => {
  assert.equal(helpText(await def("./commands/container/ps.js", "ps"), 79), golden("help-ps"));
  assert.equal(helpText(await def("./commands/container/stop.js", "stop"), 79), golden("help-stop"));
  assert.equal(helpText(await def("./commands/container/logs.js", "logs"), 79), golden("help-logs"));
});

test("arity and flag errors", async () => {
  const run = await def("./commands/container/run.js", "run");
  assert.equal(argsErrorText(run, 0), "wharf: 'wharf run' requires at least 1 argument\n\nUsage:  wharf run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'wharf run --help' for more information\n");
  const rename = await def("./commands/container/rename.js", "rename");
  assert.equal(argsErrorText(rename, 1), "wharf: 'wharf rename' requires 2 arguments\n\nUsage:  wharf rename CONTAINER NEW_NAME\n\nRun 'wharf rename --help' for more information\n");
  assert.equal(argsErrorText(rename, 2), undefined);
  const ps = await def("./commands/container/ps.js", "container ls");
  assert.match(argsErrorText(ps, 1) ?? "", /^wharf: 'wharf container ls' accepts no arguments\n/);
  assert.equal(flagErrorText(ps, "unknown flag: --foo"), "unknown flag: --foo\n\nUsage:  wharf container ls [OPTIONS]\n\nRun 'wharf container ls --help' for more information\n");
});
