import type { CliContext, CommandModule } from "../../context.js";
import { str, type ParsedFlags } from "../../flags.js";
import { INSPECT_FORMAT_USAGE } from "../shared/format-usage.js";
import { inspectAll } from "../shared/inspect-all.js";

/** `wharf volume inspect`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] VOLUME [VOLUME...]",
  short: "Display detailed information on one or more volumes",
  aliases: [],
  args: { min: 1 },
  flags: [{ long: "format", short: "f", kind: "string", usage: INSPECT_FORMAT_USAGE }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  await inspectAll(ctx, p.args, str(p, "format"), (name) => client.volumeInspect(name));
}
