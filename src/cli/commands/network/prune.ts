import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, type ParsedFlags } from "../../flags.js";
import { confirm } from "../shared/confirm.js";
import { parseFilterFlags } from "../shared/filter-flag.js";

/** `wharf network prune`: remove networks no container uses. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Remove all unused networks",
  aliases: [],
  args: { exact: 0 },
  flags: [
    { long: "filter", kind: "list", typeName: "filter", usage: 'Provide filter values (e.g. "until=<timestamp>")' },
    { long: "force", short: "f", kind: "bool", usage: "Do not prompt for confirmation" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  if (!bool(p, "force") && !(await confirm(ctx, "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?"))) return;
  const client = await ctx.client();
  const report = await client.networksPrune(parseFilterFlags(list(p, "filter")));
  const deleted = report.NetworksDeleted ?? [];
  if (deleted.length) ctx.io.stdout.write(`Deleted Networks:\n${deleted.map((n) => `${n}\n`).join("")}`);
}
