import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";
import { forEachName } from "../shared/each.js";

/** `wharf pause`: freeze all processes in containers. */
export const command: CommandModule["command"] = {
  use: "CONTAINER [CONTAINER...]",
  short: "Pause all processes within one or more containers",
  aliases: ["container pause", "pause"],
  args: { min: 1 },
  flags: [],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  await forEachName(ctx, p.args, (name) => client.containerPause(name));
}
