import type { CliContext, CommandModule } from "../../context.js";
import { str, type ParsedFlags } from "../../flags.js";
import { forEachName } from "../shared/each.js";
import { command as stopCommand, timeoutOf } from "./stop.js";

/** `wharf restart`: stop (with timeout) then start each container. */
export const command: CommandModule["command"] = {
  ...stopCommand,
  short: "Restart one or more containers",
  aliases: ["container restart", "restart"],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const opts = { timeout: timeoutOf(p), signal: str(p, "signal") || undefined };
  await forEachName(ctx, p.args, (name) => client.containerRestart(name, opts));
}
