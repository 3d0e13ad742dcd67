import type { CliContext, CommandModule } from "../../context.js";
import { bool, type ParsedFlags } from "../../flags.js";
import { forEachName } from "../shared/each.js";

/** `wharf volume rm`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] VOLUME [VOLUME...]",
  short: "Remove one or more volumes",
  aliases: ["volume rm", "volume remove"],
  args: { min: 1 },
  flags: [{ long: "force", short: "f", kind: "bool", usage: "Force the removal of one or more volumes" }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  await forEachName(ctx, p.args, (name) => client.volumeRemove(name, bool(p, "force")));
}
