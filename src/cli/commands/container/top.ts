import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";
import { tabwrite } from "../../format/tabwriter.js";

/** `wharf top`: the container's processes as the host's ps shows them. */
export const command: CommandModule["command"] = {
  use: "CONTAINER [ps OPTIONS]",
  short: "Display the running processes of a container",
  aliases: ["container top", "top"],
  args: { min: 1 },
  interspersed: false,
  flags: [],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const [name, ...psArgs] = p.args;
  const top = await client.containerTop(name, psArgs.join(" "));
  const lines = [top.Titles.join("\t"), ...top.Processes.map((r) => r.join("\t"))];
  ctx.io.stdout.write(tabwrite(lines.join("\n") + "\n", { minwidth: 20, tabwidth: 1, padding: 3, padchar: " " }));
}
