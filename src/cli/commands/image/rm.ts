import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { errorText } from "../../exit-codes.js";
import { bool, type ParsedFlags } from "../../flags.js";

/** `wharf rmi` / `image rm`: untag and delete images, printing each step. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] IMAGE [IMAGE...]",
  short: "Remove one or more images",
  aliases: ["image rm", "image remove", "rmi"],
  args: { min: 1 },
  flags: [
    { long: "force", short: "f", kind: "bool", usage: "Force removal of the image" },
    { long: "no-prune", kind: "bool", usage: "Do not delete untagged parents" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const errors: string[] = [];
  for (const name of p.args) {
    try {
      const items = await client.imageRemove(name, { force: bool(p, "force"), noprune: bool(p, "no-prune") });
      for (const item of items ?? []) {
        if (item.Deleted) ctx.io.stdout.write(`Deleted: ${item.Deleted}\n`);
        else if (item.Untagged) ctx.io.stdout.write(`Untagged: ${item.Untagged}\n`);
      }
    } catch (err) {
      errors.push(errorText(err));
    }
  }
  if (errors.length) throw new StatusError(1, errors.join("\n"));
}
