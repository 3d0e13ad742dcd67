import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, str, type ParsedFlags } from "../../flags.js";
import { renderList } from "../shared/render-list.js";
import { FORMAT_USAGE } from "../shared/format-usage.js";
import { parseFilterFlags } from "../shared/filter-flag.js";
import { IMAGE_HEADERS, imageRows, imagesTemplate } from "./image-context.js";

/** `wharf images` / `image ls`: docker's classic image table. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [REPOSITORY[:TAG]]",
  short: "List images",
  aliases: ["image ls", "image list", "images"],
  args: { max: 1 },
  flags: [
    { long: "all", short: "a", kind: "bool", usage: "Show all images (default hides intermediate images)" },
    { long: "digests", kind: "bool", usage: "Show digests" },
    { long: "filter", short: "f", kind: "list", typeName: "filter", usage: "Filter output based on conditions provided" },
    { long: "format", kind: "string", usage: FORMAT_USAGE },
    { long: "no-trunc", kind: "bool", usage: "Don't truncate output" },
    { long: "quiet", short: "q", kind: "bool", usage: "Only show image IDs" },
    { long: "tree", kind: "bool", usage: "List multi-platform images as a tree (EXPERIMENTAL)", hidden: true },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const filters = parseFilterFlags(list(p, "filter"));
  if (p.args[0]) filters.set("reference", [...(filters.get("reference") ?? []), p.args[0]]);
  const quiet = bool(p, "quiet");
  const digests = bool(p, "digests");
  const template = imagesTemplate(str(p, "format"), quiet, digests, ctx.config.imagesFormat);
  const client = await ctx.client();
  const images = await client.imageList({ all: bool(p, "all"), filters });
  const rows = imageRows(images, { trunc: !bool(p, "no-trunc"), digests, now: Date.now() });
  ctx.io.stdout.write(renderList(template, rows, IMAGE_HEADERS));
}
