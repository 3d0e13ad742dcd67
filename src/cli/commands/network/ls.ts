import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, str, type ParsedFlags } from "../../flags.js";
import { renderList } from "../shared/render-list.js";
import { FORMAT_USAGE } from "../shared/format-usage.js";
import { parseFilterFlags } from "../shared/filter-flag.js";

/** `wharf network ls`: docker's network table. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "List networks",
  aliases: ["network ls", "network list"],
  args: { exact: 0 },
  flags: [
    { long: "filter", short: "f", kind: "list", typeName: "filter", usage: 'Provide filter values (e.g. "driver=bridge")' },
    { long: "format", kind: "string", usage: FORMAT_USAGE },
    { long: "no-trunc", kind: "bool", usage: "Do not truncate the output" },
    { long: "quiet", short: "q", kind: "bool", usage: "Only display network IDs" },
  ],
};

const HEADERS = { ID: "NETWORK ID", Name: "NAME", Driver: "DRIVER", Scope: "SCOPE", IPv6: "IPV6", Internal: "INTERNAL", Labels: "LABELS", CreatedAt: "CREATED AT" };

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const nets = await client.networkList(parseFilterFlags(list(p, "filter")));
  const trunc = !bool(p, "no-trunc");
  const rows = nets.map((n) => ({
    ID: trunc ? String(n.Id).slice(0, 12) : n.Id,
    Name: n.Name,
    Driver: n.Driver,
    Scope: n.Scope,
    IPv6: String(n.EnableIPv6),
    Internal: String(n.Internal),
    Labels: Object.entries((n.Labels ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(","),
    CreatedAt: n.Created,
  }));
  const format = str(p, "format");
  const template = bool(p, "quiet") ? "{{.ID}}" : format && format !== "table" ? format : "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
  ctx.io.stdout.write(renderList(template, rows, HEADERS));
}
