import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";
import { currentName } from "./shared.js";

/** `wharf context show`: the name of the context in use. */
export const command: CommandModule["command"] = {
  use: "",
  short: "Print the name of the current context",
  args: { exact: 0 },
  flags: [],
};

export async function run(ctx: CliContext, _p: ParsedFlags): Promise<void> {
  ctx.io.stdout.write(`${currentName(ctx)}\n`);
}
