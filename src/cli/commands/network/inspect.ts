import type { CliContext, CommandModule } from "../../context.js";
import { str, type ParsedFlags } from "../../flags.js";
import { INSPECT_FORMAT_USAGE } from "../shared/format-usage.js";
import { inspectAll } from "../shared/inspect-all.js";

/** `wharf network inspect`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] NETWORK [NETWORK...]",
  short: "Display detailed information on one or more networks",
  aliases: [],
  args: { min: 1 },
  flags: [
    { long: "format", short: "f", kind: "string", usage: INSPECT_FORMAT_USAGE },
    { long: "verbose", short: "v", kind: "bool", usage: "Verbose output for diagnostics" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  await inspectAll(ctx, p.args, str(p, "format"), (name) => client.networkInspect(name));
}
