import type { CliContext, CommandModule } from "../../context.js";
import { bool, type ParsedFlags } from "../../flags.js";

/** `wharf network disconnect`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] NETWORK CONTAINER",
  short: "Disconnect a container from a network",
  aliases: [],
  args: { exact: 2 },
  flags: [{ long: "force", short: "f", kind: "bool", usage: "Force the container to disconnect from a network" }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  await client.networkDisconnect(p.args[0], p.args[1], bool(p, "force"));
}
