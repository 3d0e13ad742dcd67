import type { CliContext, CommandModule } from "../../context.js";
import { bool, type ParsedFlags } from "../../flags.js";
import { LABEL, projectFilter } from "../../../compose/planner/labels.js";
import { composeContext, loadComposeProject } from "./project.js";

/** `compose events`: the project's container events as they happen (`--json` one object a line). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "Receive real time events from containers",
  flags: [{ long: "json", kind: "bool", usage: "Output events as a stream of json objects" }],
};

interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args));
  const filters = projectFilter(cctx.project.name);
  filters.set("type", ["container"]);
  const res = await cctx.client.events({ filters });
  const onInt = () => res.destroy();
  process.once("SIGINT", onInt);
  let buf = "";
  try {
    for await (const chunk of res) {
      buf += (chunk as Buffer).toString("utf8");
      const lines = buf.split("\n");
      buf = lines.pop() as string;
      for (const line of lines) if (line.trim()) print(ctx, JSON.parse(line) as EngineEvent, p.args, bool(p, "json"));
    }
  } catch {
    /* interrupted */
  } finally {
    process.off("SIGINT", onInt);
  }
}

function print(ctx: CliContext, e: EngineEvent, services: string[], json: boolean): void {
  const attrs = { ...(e.Actor?.Attributes ?? {}) };
  const service = attrs[LABEL.service] ?? "";
  if (services.length && !services.includes(service)) return;
  const time = new Date(Math.floor((e.timeNano ?? (e.time ?? 0) * 1e9) / 1e6));
  const micros = String(Math.floor(((e.timeNano ?? 0) % 1e9) / 1e3)).padStart(6, "0");
  for (const k of Object.keys(attrs)) if (k.startsWith("com.docker.compose.")) delete attrs[k];
  if (json) {
    ctx.io.stdout.write(`${JSON.stringify({ time: time.toISOString(), type: e.Type, action: e.Action, id: e.Actor?.ID, service, attributes: attrs })}\n`);
    return;
  }
  const stamp = `${time.toISOString().slice(0, 10)} ${time.toISOString().slice(11, 19)}.${micros}`;
  const pairs = Object.keys(attrs).sort().map((k) => `${k}=${attrs[k]}`).join(", ");
  ctx.io.stdout.write(`${stamp} ${e.Type} ${e.Action} ${e.Actor?.ID ?? ""}${pairs ? ` (${pairs})` : ""}\n`);
}
