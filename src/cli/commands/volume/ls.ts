import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, str, type ParsedFlags } from "../../flags.js";
import { FORMAT_USAGE } from "../shared/format-usage.js";
import { parseFilterFlags } from "../shared/filter-flag.js";
import { renderList } from "../shared/render-list.js";

/** `wharf volume ls`: docker's volume table. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "List volumes",
  aliases: ["volume ls", "volume list"],
  args: { exact: 0 },
  flags: [
    { long: "filter", short: "f", kind: "list", typeName: "filter", usage: "Provide filter values (e.g. \"dangling=true\")" },
    { long: "format", kind: "string", usage: FORMAT_USAGE },
    { long: "quiet", short: "q", kind: "bool", usage: "Only display volume names" },
  ],
};

const HEADERS = { Driver: "DRIVER", Name: "VOLUME NAME", Mountpoint: "MOUNTPOINT", Scope: "SCOPE", Labels: "LABELS", Links: "LINKS", Size: "SIZE" };

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const res = await client.volumeList(parseFilterFlags(list(p, "filter")));
  const rows = (res.Volumes ?? [])
    .map((v) => ({
      Driver: v.Driver,
      Name: v.Name,
      Mountpoint: v.Mountpoint,
      Scope: v.Scope,
      Labels: Object.entries((v.Labels ?? {}) as Record<string, string>).map(([k, val]) => `${k}=${val}`).join(","),
      Links: "N/A",
      Size: "N/A",
    }))
    .sort((a, b) => (String(a.Name) < String(b.Name) ? -1 : 1));
  const format = str(p, "format");
  const template = bool(p, "quiet") ? "{{.Name}}" : format && format !== "table" ? format : "table {{.Driver}}\t{{.Name}}";
  ctx.io.stdout.write(renderList(template, rows, HEADERS));
}
