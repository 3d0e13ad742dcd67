import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { humanSizeWithPrecision } from "../../format/human.js";
import { renderList } from "../shared/render-list.js";
import { dfVerbose } from "./df-verbose.js";

/** `wharf system df`: what images, containers, volumes and build cache take. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Show docker disk usage",
  aliases: [],
  args: { exact: 0 },
  flags: [
    { long: "format", kind: "string", usage: "Format output using a custom template" },
    { long: "verbose", short: "v", kind: "bool", usage: "Show detailed information on space usage" },
  ],
};

type Obj = Record<string, any>;
const HEADERS = { Type: "TYPE", TotalCount: "TOTAL", Active: "ACTIVE", Size: "SIZE", Reclaimable: "RECLAIMABLE" };
/** go-units HumanSize. */
export const hsize = (n: number) => humanSizeWithPrecision(n, 4);
const withPct = (part: number, total: number) => (total > 0 ? `${hsize(part)} (${Math.trunc((part * 100) / total)}%)` : hsize(part));

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const df = (await client.systemDf()) as Obj;
  if (bool(p, "verbose")) return void ctx.io.stdout.write(dfVerbose(df));
  const images = (df.Images ?? []) as Obj[];
  const containers = (df.Containers ?? []) as Obj[];
  const volumes = (df.Volumes ?? []) as Obj[];
  const layers = Number(df.LayersSize ?? 0);
  const usedImages = images.filter((i) => i.Containers > 0).reduce((a, i) => a + (i.Size - i.SharedSize), 0);
  const active = (c: Obj) => c.State === "running" || c.State === "paused";
  const ctrSize = containers.reduce((a, c) => a + (c.SizeRw ?? 0), 0);
  const ctrFree = containers.filter((c) => !active(c)).reduce((a, c) => a + (c.SizeRw ?? 0), 0);
  const volSize = volumes.reduce((a, v) => a + Math.max(0, v.UsageData?.Size ?? 0), 0);
  const volFree = volumes.filter((v) => !(v.UsageData?.RefCount > 0)).reduce((a, v) => a + Math.max(0, v.UsageData?.Size ?? 0), 0);
  const rows = [
    { Type: "Images", TotalCount: String(images.length), Active: String(images.filter((i) => i.Containers > 0).length), Size: hsize(layers), Reclaimable: withPct(layers - usedImages, layers) },
    { Type: "Containers", TotalCount: String(containers.length), Active: String(containers.filter(active).length), Size: hsize(ctrSize), Reclaimable: withPct(ctrFree, ctrSize) },
    { Type: "Local Volumes", TotalCount: String(volumes.length), Active: String(volumes.filter((v) => v.UsageData?.RefCount > 0).length), Size: hsize(volSize), Reclaimable: withPct(volFree, volSize) },
    { Type: "Build Cache", TotalCount: "0", Active: "0", Size: "0B", Reclaimable: "0B" },
  ];
  const format = str(p, "format");
  ctx.io.stdout.write(renderList(format && format !== "table" ? format : "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}", rows, HEADERS));
}
