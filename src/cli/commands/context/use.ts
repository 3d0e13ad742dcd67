import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";
import { validateContextName } from "../../../client/contexts/context-store.js";
import { DEFAULT_CONTEXT } from "../../../client/endpoint.js";
import { dockerHostWarning, saveCurrentContext, storeOf } from "./shared.js";

/** `wharf context use`: currentContext in config.json, which the docker CLI reads too. */
export const command: CommandModule["command"] = {
  use: "CONTEXT",
  short: "Set the current docker context",
  args: { exact: 1 },
  flags: [],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const name = p.args[0]!;
  let value = "";
  if (name !== DEFAULT_CONTEXT) {
    validateContextName(name);
    storeOf(ctx).get(name);
    value = name;
  }
  if ((ctx.config.currentContext ?? "") !== value) saveCurrentContext(ctx, value);
  ctx.io.stdout.write(`${name}\n`);
  ctx.io.stderr.write(`Current context is now "${name}"\n`);
  if (name !== DEFAULT_CONTEXT) dockerHostWarning(ctx, name);
}
