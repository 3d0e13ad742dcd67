import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { humanSizeWithPrecision, timeAgo } from "../../format/human.js";
import { renderList } from "../shared/render-list.js";

/** `wharf history IMAGE`: docker's table (IMAGE, CREATED, CREATED BY, SIZE, COMMENT), `-q`, `--no-trunc`, `-H`, `--format`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] IMAGE",
  short: "Show the history of an image",
  aliases: ["image history", "history"],
  args: { exact: 1 },
  flags: [
    { long: "format", kind: "string", usage: "Format output using a custom template" },
    { long: "human", short: "H", kind: "bool", usage: "Print sizes and dates in human readable format", default: true },
    { long: "no-trunc", kind: "bool", usage: "Don't truncate output" },
    { long: "quiet", short: "q", kind: "bool", usage: "Only show image IDs" },
  ],
};

interface HistoryItem { Id: string; Created: number; CreatedBy: string; Size: number; Comment: string; Tags: string[] | null }

const HEADERS = { ID: "IMAGE", CreatedSince: "CREATED", CreatedAt: "CREATED AT", CreatedBy: "CREATED BY", Size: "SIZE", Comment: "COMMENT" };

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const items = await client.get<HistoryItem[]>(`/images/${encodeURIComponent(p.args[0])}/history`);
  const noTrunc = bool(p, "no-trunc");
  const human = bool(p, "human");
  const rows = items.map((h) => {
    const id = h.Id === "<missing>" || noTrunc ? h.Id : h.Id.replace(/^sha256:/, "").slice(0, 12);
    let createdBy = h.CreatedBy.replace(/\t/g, " ");
    if (!noTrunc && createdBy.length > 45) createdBy = `${createdBy.slice(0, 44)}…`;
    return {
      ID: id,
      CreatedSince: human ? timeAgo(h.Created * 1000) : new Date(h.Created * 1000).toISOString(),
      CreatedAt: new Date(h.Created * 1000).toISOString(),
      CreatedBy: createdBy,
      Size: human ? humanSizeWithPrecision(h.Size, 3) : String(h.Size),
      Comment: h.Comment,
    };
  });
  let template = str(p, "format") || "table";
  if (bool(p, "quiet")) template = "{{.ID}}";
  else if (template === "table") template = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
  else if (template === "json") template = "{{json .}}";
  ctx.io.stdout.write(renderList(template, rows, HEADERS));
}
