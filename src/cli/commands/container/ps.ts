import type { CliContext, CommandModule } from "../../context.js";
import { bool, int, list, str, type ParsedFlags } from "../../flags.js";
import { renderList } from "../shared/render-list.js";
import { FORMAT_USAGE } from "../shared/format-usage.js";
import { parseFilterFlags } from "../shared/filter-flag.js";
import { CONTAINER_HEADERS, DEFAULT_PS_TABLE, containerRow } from "./ps-context.js";

/** `wharf ps` / `container ls`: list containers in docker's table or a --format. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "List containers",
  aliases: ["container ls", "container list", "container ps", "ps"],
  args: { exact: 0 },
  flags: [
    { long: "all", short: "a", kind: "bool", usage: "Show all containers (default shows just running)" },
    { long: "filter", short: "f", kind: "list", typeName: "filter", usage: "Filter output based on conditions provided" },
    { long: "format", kind: "string", usage: FORMAT_USAGE },
    { long: "last", short: "n", kind: "int", default: -1, usage: "Show n last created containers (includes all states)" },
    { long: "latest", short: "l", kind: "bool", usage: "Show the latest created container (includes all states)" },
    { long: "no-trunc", kind: "bool", usage: "Don't truncate output" },
    { long: "quiet", short: "q", kind: "bool", usage: "Only display container IDs" },
    { long: "size", short: "s", kind: "bool", usage: "Display total file sizes" },
  ],
};

/** Resolve the template docker would use for these flags and config. */
export function psTemplate(format: string, quiet: boolean, size: boolean, configFormat?: string): string {
  let f = format;
  if (!f) f = configFormat && !quiet ? configFormat : "table";
  if (f === "table") {
    if (quiet) return "{{.ID}}";
    return size ? `${DEFAULT_PS_TABLE}\t{{.Size}}` : DEFAULT_PS_TABLE;
  }
  if (f === "raw") return quiet ? "container_id: {{.ID}}" : "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n";
  if (f === "json") return "{{json .}}";
  return f;
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const quiet = bool(p, "quiet");
  let last = int(p, "last", -1);
  if (bool(p, "latest") && last === -1) last = 1;
  const template = psTemplate(str(p, "format"), quiet, bool(p, "size"), ctx.config.psFormat);
  // like docker, ask the daemon for sizes when the template shows them
  const size = bool(p, "size") || (!quiet && /\.Size\b/.test(template));
  const client = await ctx.client();
  const containers = await client.containerList({ all: bool(p, "all"), limit: last, size, filters: parseFilterFlags(list(p, "filter")) });
  const now = Date.now();
  const rows = containers.map((c) => containerRow(c, { trunc: !bool(p, "no-trunc"), now }));
  ctx.io.stdout.write(renderList(template, rows, CONTAINER_HEADERS));
}
