import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";

/** `wharf diff CONTAINER`: A/C/D lines from the container's changes. */
export const command: CommandModule["command"] = {
  use: "CONTAINER",
  short: "Inspect changes to files or directories on a container's filesystem",
  aliases: ["container diff", "diff"],
  args: { exact: 1 },
  flags: [],
};

const KIND = ["C", "A", "D"];

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const changes = (await client.containerChanges(p.args[0]!)) ?? [];
  ctx.io.stdout.write(changes.map((c) => `${KIND[c.Kind] ?? "?"} ${c.Path}\n`).join(""));
}
