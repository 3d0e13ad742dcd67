import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { errorText } from "../../exit-codes.js";
import type { ParsedFlags } from "../../flags.js";

/** `wharf rename OLD NEW`. */
export const command: CommandModule["command"] = {
  use: "CONTAINER NEW_NAME",
  short: "Rename a container",
  aliases: ["container rename", "rename"],
  args: { exact: 2 },
  flags: [],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const [oldName, newName] = p.args.map((a) => a.trim());
  if (!newName) throw new StatusError(1, "Error: neither old or new names may be empty");
  const client = await ctx.client();
  try {
    await client.containerRename(oldName, newName);
  } catch (err) {
    throw new StatusError(1, `${errorText(err)}\nError: failed to rename container named ${oldName}`);
  }
}
