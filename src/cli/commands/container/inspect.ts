import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { INSPECT_FORMAT_USAGE } from "../shared/format-usage.js";
import { inspectAll } from "../shared/inspect-all.js";

/** `wharf container inspect`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER [CONTAINER...]",
  short: "Display detailed information on one or more containers",
  aliases: [],
  args: { min: 1 },
  flags: [
    { long: "format", short: "f", kind: "string", usage: INSPECT_FORMAT_USAGE },
    { long: "size", short: "s", kind: "bool", usage: "Display total file sizes" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  await inspectAll(ctx, p.args, str(p, "format"), (name) => client.containerInspect(name, bool(p, "size")));
}
