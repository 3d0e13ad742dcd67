import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, type ParsedFlags } from "../../flags.js";
import { humanSizeWithPrecision } from "../../format/human.js";
import { confirm } from "../shared/confirm.js";
import { parseFilterFlags } from "../shared/filter-flag.js";

/** `wharf system prune`: stopped containers, unused networks, dangling (or unused) images, optionally anonymous volumes. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Remove unused data",
  aliases: [],
  args: { exact: 0 },
  flags: [
    { long: "all", short: "a", kind: "bool", usage: "Remove all unused images not just dangling ones" },
    { long: "filter", kind: "list", typeName: "filter", usage: 'Provide filter values (e.g. "label=<key>=<value>")' },
    { long: "force", short: "f", kind: "bool", usage: "Do not prompt for confirmation" },
    { long: "volumes", kind: "bool", usage: "Prune anonymous volumes" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const all = bool(p, "all");
  const volumes = bool(p, "volumes");
  const items = [
    "all stopped containers",
    "all networks not used by at least one container",
    ...(volumes ? ["all anonymous volumes not used by at least one container"] : []),
    all ? "all images without at least one container associated to them" : "all dangling images",
    all ? "all build cache" : "unused build cache",
  ];
  const warning = `WARNING! This will remove:\n${items.map((i) => `  - ${i}\n`).join("")}\nAre you sure you want to continue?`;
  if (!bool(p, "force") && !(await confirm(ctx, warning))) return;
  const client = await ctx.client();
  const filters = () => parseFilterFlags(list(p, "filter"));
  let space = 0;
  let out = "";
  const section = (title: string, names: string[]) => {
    if (names.length) out += `${title}:\n${names.map((n) => `${n}\n`).join("")}\n`;
  };
  const c = await client.containersPrune(filters());
  section("Deleted Containers", (c.ContainersDeleted as string[] | null | undefined) ?? []);
  space += Number(c.SpaceReclaimed ?? 0);
  const n = await client.networksPrune(filters());
  section("Deleted Networks", n.NetworksDeleted ?? []);
  if (volumes) {
    // As docker's CLI: named volumes stay even with -a; only anonymous ones go.
    const v = await client.volumesPrune(filters());
    section("Deleted Volumes", v.VolumesDeleted ?? []);
    space += v.SpaceReclaimed ?? 0;
  }
  const imgFilters = filters();
  imgFilters.set("dangling", [String(!all)]);
  const i = await client.imagesPrune(imgFilters);
  const deleted = (i.ImagesDeleted as { Untagged?: string; Deleted?: string }[] | null | undefined) ?? [];
  if (deleted.length) out += `Deleted Images:\n${deleted.map((d) => (d.Untagged ? `untagged: ${d.Untagged}\n` : `deleted: ${d.Deleted}\n`)).join("")}\n`;
  space += Number(i.SpaceReclaimed ?? 0);
  ctx.io.stdout.write(`${out}Total reclaimed space: ${humanSizeWithPrecision(space, 4)}\n`);
}
