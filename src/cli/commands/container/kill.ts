import type { CliContext, CommandModule } from "../../context.js";
import { str, type ParsedFlags } from "../../flags.js";
import { forEachName } from "../shared/each.js";

/** `wharf kill`: send a signal (default KILL) to running containers. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER [CONTAINER...]",
  short: "Kill one or more running containers",
  aliases: ["container kill", "kill"],
  args: { min: 1 },
  flags: [{ long: "signal", short: "s", kind: "string", usage: "Signal to send to the container" }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const signal = str(p, "signal") || undefined;
  await forEachName(ctx, p.args, (name) => client.containerKill(name, signal));
}
