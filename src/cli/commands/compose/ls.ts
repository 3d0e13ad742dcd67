import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { tabwrite } from "../../format/tabwriter.js";
import { LABEL } from "../../../compose/planner/labels.js";

/** `compose ls`: projects found by their containers' labels. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "List running compose projects",
  flags: [
    { long: "all", short: "a", kind: "bool", usage: "Show all stopped Compose projects" },
    { long: "quiet", short: "q", kind: "bool", usage: "Only display project names." },
    { long: "format", kind: "string", default: "table", usage: "Format the output. Values: [table | json]" },
    { long: "filter", kind: "list", usage: "Filter output based on conditions provided" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const containers = await client.containerList({ all: true, filters: new Map([["label", [LABEL.project]]]) });
  const projects = new Map<string, { states: Map<string, number>; files: string }>();
  for (const c of containers) {
    const name = c.Labels?.[LABEL.project] ?? "";
    const entry = projects.get(name) ?? { states: new Map(), files: c.Labels?.[LABEL.configFiles] ?? "" };
    entry.states.set(c.State, (entry.states.get(c.State) ?? 0) + 1);
    projects.set(name, entry);
  }
  const rows = [...projects.entries()]
    .filter(([, e]) => bool(p, "all") || e.states.has("running"))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, e]) => ({ Name: name, Status: [...e.states.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}(${n})`).join(", "), ConfigFiles: e.files }));
  if (bool(p, "quiet")) return void ctx.io.stdout.write(rows.map((r) => `${r.Name}\n`).join(""));
  if (str(p, "format") === "json") return void ctx.io.stdout.write(`${JSON.stringify(rows)}\n`);
  const lines = ["NAME\tSTATUS\tCONFIG FILES", ...rows.map((r) => `${r.Name}\t${r.Status}\t${r.ConfigFiles}`)];
  ctx.io.stdout.write(tabwrite(lines.join("\n") + "\n", { minwidth: 0, tabwidth: 1, padding: 3, padchar: " " }));
}
