import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, type ParsedFlags } from "../../flags.js";
import { humanSizeWithPrecision } from "../shared/text.js";
import { confirm } from "../shared/confirm.js";
import { parseFilterFlags } from "../shared/filter-flag.js";

/** `wharf container prune`: remove stopped containers after confirmation. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Remove all stopped containers",
  aliases: [],
  args: { exact: 0 },
  flags: [
    { long: "filter", kind: "list", typeName: "filter", usage: 'Provide filter values (e.g. "until=<timestamp>")' },
    { long: "force", short: "f", kind: "bool", usage: "Do not prompt for confirmation" },
  ],
};

const WARNING = "WARNING! This will remove all stopped containers.\nAre you sure you want to continue?";

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  if (!bool(p, "force") && !(await confirm(ctx, WARNING))) return;
  const client = await ctx.client();
  const report = await client.containersPrune(parseFilterFlags(list(p, "filter")));
  const deleted = report.ContainersDeleted ?? [];
  let out = "";
  if (deleted.length > 0) out += `Deleted Containers:\n${deleted.map((id) => `${id}\n`).join("")}\n`;
  out += `Total reclaimed space: ${humanSizeWithPrecision(report.SpaceReclaimed ?? 0, 4)}\n`;
  ctx.io.stdout.write(out);
}
