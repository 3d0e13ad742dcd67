import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, type ParsedFlags } from "../../flags.js";
import { confirm } from "../shared/confirm.js";
import { parseFilterFlags } from "../shared/filter-flag.js";
import { humanSizeWithPrecision } from "../shared/text.js";

/** `wharf image prune`: remove dangling (or with -a, all unused) images. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Remove unused images",
  aliases: [],
  args: { exact: 0 },
  flags: [
    { long: "all", short: "a", kind: "bool", usage: "Remove all unused images, not just dangling ones" },
    { long: "filter", kind: "list", typeName: "filter", usage: 'Provide filter values (e.g. "until=<timestamp>")' },
    { long: "force", short: "f", kind: "bool", usage: "Do not prompt for confirmation" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const all = bool(p, "all");
  const warning = all
    ? "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?"
    : "WARNING! This will remove all dangling images.\nAre you sure you want to continue?";
  if (!bool(p, "force") && !(await confirm(ctx, warning))) return;
  const filters = parseFilterFlags(list(p, "filter"));
  filters.set("dangling", [String(!all)]);
  const client = await ctx.client();
  const report = await client.imagesPrune(filters);
  let out = "";
  const deleted = report.ImagesDeleted ?? [];
  if (deleted.length) {
    out += "Deleted Images:\n";
    for (const d of deleted) out += d.Untagged ? `untagged: ${d.Untagged}\n` : `deleted: ${d.Deleted}\n`;
    out += "\n";
  }
  ctx.io.stdout.write(`${out}Total reclaimed space: ${humanSizeWithPrecision(report.SpaceReclaimed ?? 0, 4)}\n`);
}
