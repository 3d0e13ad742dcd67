import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, type ParsedFlags } from "../../flags.js";
import { DEFAULT_CONTEXT } from "../../../client/endpoint.js";
import { currentName, saveCurrentContext, storeOf } from "./shared.js";

/** `wharf context rm`: remove stored contexts (the current one only with -f, which falls back to the default). */
export const command: CommandModule["command"] = {
  use: "CONTEXT [CONTEXT...]",
  short: "Remove one or more contexts",
  aliases: ["context rm", "context remove"],
  args: { min: 1 },
  flags: [{ long: "force", short: "f", kind: "bool", usage: "Force the removal of a context in use" }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const force = bool(p, "force");
  const current = currentName(ctx);
  const store = storeOf(ctx);
  const errors: string[] = [];
  for (const name of p.args) {
    if (name === DEFAULT_CONTEXT) {
      errors.push('context "default" cannot be removed');
      continue;
    }
    if (name === current) {
      if (!force) {
        errors.push(`context "${name}" is in use, set -f flag to force remove`);
        continue;
      }
      saveCurrentContext(ctx, "");
    }
    if (!force && !store.exists(name)) {
      errors.push(`context "${name}" does not exist`);
      continue;
    }
    store.remove(name);
    ctx.io.stdout.write(`${name}\n`);
  }
  if (errors.length) throw new StatusError(1, errors.join("\n"));
}
