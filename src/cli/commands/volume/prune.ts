import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, type ParsedFlags } from "../../flags.js";
import { confirm } from "../shared/confirm.js";
import { parseFilterFlags } from "../shared/filter-flag.js";
import { humanSizeWithPrecision } from "../shared/text.js";

/** `wharf volume prune`: unused anonymous volumes, or with -a all unused ones. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Remove unused local volumes",
  aliases: [],
  args: { exact: 0 },
  flags: [
    { long: "all", short: "a", kind: "bool", usage: "Remove all unused volumes, not just anonymous ones" },
    { long: "filter", kind: "list", typeName: "filter", usage: 'Provide filter values (e.g. "label=<label>")' },
    { long: "force", short: "f", kind: "bool", usage: "Do not prompt for confirmation" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const all = bool(p, "all");
  const warning = all
    ? "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue?"
    : "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue?";
  if (!bool(p, "force") && !(await confirm(ctx, warning))) return;
  ctx.io.stdout.write(await pruneVolumes(ctx, all, list(p, "filter")));
}

/** Shared with `system prune --volumes`: the report text. */
export async function pruneVolumes(ctx: CliContext, all: boolean, filterFlags: string[]): Promise<string> {
  const filters = parseFilterFlags(filterFlags);
  if (all) filters.set("all", ["true"]);
  const client = await ctx.client();
  const report = await client.volumesPrune(filters);
  let out = "";
  const deleted = report.VolumesDeleted ?? [];
  if (deleted.length) out += `Deleted Volumes:\n${deleted.map((n) => `${n}\n`).join("")}\n`;
  return `${out}Total reclaimed space: ${humanSizeWithPrecision(report.SpaceReclaimed ?? 0, 4)}\n`;
}
