import type { CliContext, CommandModule } from "../../context.js";
import { bool, type ParsedFlags } from "../../flags.js";
import { forEachName } from "../shared/each.js";

/** `wharf network rm`. */
export const command: CommandModule["command"] = {
  use: "NETWORK [NETWORK...]",
  short: "Remove one or more networks",
  aliases: ["network rm", "network remove"],
  args: { min: 1 },
  flags: [{ long: "force", short: "f", kind: "bool", usage: "Do not error if the network does not exist" }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  await forEachName(ctx, p.args, async (name) => {
    try {
      await client.networkRemove(name);
    } catch (err) {
      if (bool(p, "force") && /not found/.test(String((err as Error).message))) return;
      throw err;
    }
  });
}
