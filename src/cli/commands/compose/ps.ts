import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, str, type ParsedFlags } from "../../flags.js";
import { projectContainers } from "../../../compose/ops/observed.js";
import { CONTAINER_HEADERS, containerRow } from "../container/ps-context.js";
import { renderList } from "../shared/render-list.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose ps`: the project's containers in docker compose's columns. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "List containers",
  flags: [
    { long: "all", short: "a", kind: "bool", usage: "Show all stopped containers (including those created by the run command)" },
    { long: "quiet", short: "q", kind: "bool", usage: "Only display IDs" },
    { long: "services", kind: "bool", usage: "Display services" },
    { long: "format", kind: "string", default: "table", usage: "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template." },
    { long: "status", kind: "list", typeName: "stringArray", usage: "Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]" },
    { long: "filter", kind: "string", usage: "Filter services by a property (supported filters: status)." },
    { long: "no-trunc", kind: "bool", usage: "Don't truncate output" },
  ],
};

const TABLE = "table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}";
const HEADERS = { ...CONTAINER_HEADERS, Name: "NAME", Service: "SERVICE", Project: "PROJECT", Health: "HEALTH", ExitCode: "EXIT CODE" };

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args));
  const all = bool(p, "all");
  let containers = await guarded(() => projectContainers(cctx, { services: p.args }));
  if (!all) containers = containers.filter((c) => !c.oneoff && c.State !== "exited" && c.State !== "created" && c.State !== "dead");
  const statuses = [...list(p, "status"), ...(str(p, "filter").startsWith("status=") ? [str(p, "filter").slice(7)] : [])];
  if (statuses.length) containers = containers.filter((c) => statuses.includes(c.State));
  if (bool(p, "services")) {
    ctx.io.stdout.write([...new Set(containers.map((c) => c.service))].map((s) => `${s}\n`).join(""));
    return;
  }
  if (bool(p, "quiet")) {
    ctx.io.stdout.write(containers.map((c) => `${c.Id}\n`).join(""));
    return;
  }
  const now = Date.now();
  const rows = containers.map((c) => {
    const health = /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1]?.replace("health: ", "") ?? "";
    const exit = /^Exited \((-?\d+)\)/.exec(c.Status);
    return { ...containerRow(c, { trunc: !bool(p, "no-trunc"), now }), Name: c.name, Service: c.service, Project: cctx.project.name, Health: health, ExitCode: exit ? Number(exit[1]) : 0 };
  });
  const format = str(p, "format") || "table";
  if (format === "json") {
    ctx.io.stdout.write(rows.map((r) => `${JSON.stringify({ ...r, Label: undefined })}\n`).join(""));
    return;
  }
  ctx.io.stdout.write(renderList(format === "table" ? TABLE : format, rows, HEADERS));
}
