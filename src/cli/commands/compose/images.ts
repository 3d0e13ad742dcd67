import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { projectContainers } from "../../../compose/ops/observed.js";
import { humanSizeWithPrecision } from "../../format/human.js";
import { tabwrite } from "../../format/tabwriter.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose images`: the image of each created container. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "List images used by the created containers",
  flags: [
    { long: "quiet", short: "q", kind: "bool", usage: "Only display IDs" },
    { long: "format", kind: "string", default: "table", usage: "Format the output. Values: [table | json]" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args));
  const containers = await guarded(() => projectContainers(cctx, { services: p.args, oneoff: false }));
  const rows = await Promise.all(
    containers.map(async (c) => {
      const img = await cctx.client.imageInspect(c.ImageID).catch(() => ({}) as Record<string, unknown>);
      const tag = ((img.RepoTags as string[] | undefined) ?? [])[0] ?? c.Image;
      const colon = tag.lastIndexOf(":");
      return { ContainerName: c.name, Repository: colon > tag.lastIndexOf("/") ? tag.slice(0, colon) : tag, Tag: colon > tag.lastIndexOf("/") ? tag.slice(colon + 1) : "latest", ID: c.ImageID, Size: Number(img.Size ?? 0) };
    }),
  );
  if (bool(p, "quiet")) return void ctx.io.stdout.write([...new Set(rows.map((r) => r.ID))].map((i) => `${i}\n`).join(""));
  if (str(p, "format") === "json") return void ctx.io.stdout.write(`${JSON.stringify(rows)}\n`);
  const lines = ["CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE", ...rows.map((r) => `${r.ContainerName}\t${r.Repository}\t${r.Tag}\t${r.ID.replace(/^sha256:/, "").slice(0, 12)}\t${humanSizeWithPrecision(r.Size, 3)}`)];
  ctx.io.stdout.write(tabwrite(lines.join("\n") + "\n", { minwidth: 0, tabwidth: 1, padding: 3, padchar: " " }));
}
