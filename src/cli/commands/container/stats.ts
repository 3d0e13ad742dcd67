import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { readBody } from "../../../client/transport.js";
import { errorText } from "../../exit-codes.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { renderList } from "../shared/render-list.js";
import { statsRow } from "./stats-row.js";

/** `wharf stats`: CPU, memory, network, block I/O and PIDs per container. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [CONTAINER...]",
  short: "Display a live stream of container(s) resource usage statistics",
  aliases: ["container stats", "stats"],
  args: {},
  flags: [
    { long: "all", short: "a", kind: "bool", usage: "Show all containers (default shows just running)" },
    { long: "format", kind: "string", usage: "Format output using a custom template" },
    { long: "no-stream", kind: "bool", usage: "Disable streaming stats and only pull the first result" },
    { long: "no-trunc", kind: "bool", usage: "Do not truncate output" },
  ],
};

const HEADERS = { ID: "CONTAINER ID", Container: "CONTAINER", Name: "NAME", CPUPerc: "CPU %", MemUsage: "MEM USAGE / LIMIT", MemPerc: "MEM %", NetIO: "NET I/O", BlockIO: "BLOCK I/O", PIDs: "PIDS" };
const DEFAULT = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const names = p.args.length ? p.args : (await client.containerList({ all: bool(p, "all") })).map((c) => String(c.Id));
  const format = str(p, "format");
  const template = format && format !== "table" ? format : DEFAULT;
  const sample = async () => {
    const rows: Record<string, string>[] = [];
    const errors: string[] = [];
    await Promise.all(
      names.map(async (n, i) => {
        try {
          const res = await client.containerStats(n, { stream: false });
          rows[i] = statsRow(JSON.parse((await readBody(res)).toString("utf8")), bool(p, "no-trunc"));
        } catch (err) {
          errors.push(errorText(err));
        }
      }),
    );
    return { rows: rows.filter(Boolean), errors };
  };
  if (bool(p, "no-stream")) {
    const { rows, errors } = await sample();
    ctx.io.stdout.write(renderList(template, rows, HEADERS));
    if (errors.length) throw new StatusError(1, errors.join("\n"));
    return;
  }
  // Streaming: redraw the table about once a second until interrupted (each sample spans a second).
  for (;;) {
    const { rows } = await sample();
    ctx.io.stdout.write("\x1b[2J\x1b[H" + renderList(template, rows, HEADERS));
  }
}
