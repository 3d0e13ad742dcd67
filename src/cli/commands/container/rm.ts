import type { CliContext, CommandModule } from "../../context.js";
import { bool, type ParsedFlags } from "../../flags.js";
import { forEachName } from "../shared/each.js";

/** `wharf rm`: remove containers (-f kills running ones, -v removes anonymous volumes). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER [CONTAINER...]",
  short: "Remove one or more containers",
  aliases: ["container rm", "container remove", "rm"],
  args: { min: 1 },
  flags: [
    { long: "force", short: "f", kind: "bool", usage: "Force the removal of a running container (uses SIGKILL)" },
    { long: "link", short: "l", kind: "bool", usage: "Remove the specified link" },
    { long: "volumes", short: "v", kind: "bool", usage: "Remove anonymous volumes associated with the container" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const opts = { force: bool(p, "force"), volumes: bool(p, "volumes"), link: bool(p, "link") };
  await forEachName(ctx, p.args, (name) => client.containerRemove(name, opts));
}
