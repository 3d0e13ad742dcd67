import type { CliContext, CommandModule } from "../../context.js";
import { bool, int, list, str, type ParsedFlags } from "../../flags.js";
import { renderList } from "../shared/render-list.js";
import { parseFilterFlags } from "../shared/filter-flag.js";
import { registryAuthHeader } from "../system/login.js";

/** `wharf search TERM`: docker's table (NAME, DESCRIPTION, STARS, OFFICIAL), `-f`, `--limit`, `--no-trunc`, `--format`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] TERM",
  short: "Search Docker Hub for images",
  aliases: ["search"],
  args: { exact: 1 },
  flags: [
    { long: "filter", short: "f", kind: "list", typeName: "filter", usage: "Filter output based on conditions provided" },
    { long: "format", kind: "string", usage: "Pretty-print search using a Go template" },
    { long: "limit", kind: "int", usage: "Max number of search results" },
    { long: "no-trunc", kind: "bool", usage: "Don't truncate output" },
  ],
};

const HEADERS = { Name: "NAME", Description: "DESCRIPTION", StarCount: "STARS", IsOfficial: "OFFICIAL" };
const DESCRIPTION_WIDTH = 45;

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const term = p.args[0];
  const client = await ctx.client();
  const results = await client.imageSearch(term, {
    limit: int(p, "limit", 0) || undefined,
    filters: parseFilterFlags(list(p, "filter")),
    registryAuth: registryAuthHeader(searchIndex(term)) || undefined,
  });
  let template = str(p, "format") || "table";
  const json = template === "json";
  if (template === "table") template = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}";
  else if (json) template = "{{json .}}";
  const trunc = !bool(p, "no-trunc");
  // Most stars first, as the docker CLI lists them (stable for equal counts).
  const rows = [...results].sort((a, b) => b.star_count - a.star_count).map((r) => {
    let description = r.description.replace(/[\r\n]/g, " ");
    if (trunc && [...description].length > DESCRIPTION_WIDTH) description = `${[...description].slice(0, DESCRIPTION_WIDTH - 1).join("")}…`;
    return {
      Name: r.name,
      Description: description,
      StarCount: String(r.star_count),
      IsOfficial: json ? String(r.is_official) : r.is_official ? "[OK]" : "",
    };
  });
  ctx.io.stdout.write(renderList(template, rows, HEADERS));
}

/** The registry a search term addresses, keyed like config.json ("HOST:PORT" or Docker Hub). */
function searchIndex(term: string): string {
  const i = term.indexOf("/");
  const first = i < 0 ? "" : term.slice(0, i);
  return first && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "https://index.docker.io/v1/";
}
