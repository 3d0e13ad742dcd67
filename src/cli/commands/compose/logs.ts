import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { streamLogs, shortName } from "../../../compose/ops/logs.js";
import { projectContainers } from "../../../compose/ops/observed.js";
import { toApiTimestamp } from "../container/logs.js";
import { LogPrinter } from "./log-printer.js";
import { composeContext, globalsOf, guarded, loadComposeProject } from "./project.js";

/** `compose logs`: every service container's output, prefixed `web-1  | `. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "View output from containers",
  flags: [
    { long: "follow", short: "f", kind: "bool", usage: "Follow log output" },
    { long: "tail", short: "n", kind: "string", default: "all", usage: "Number of lines to show from the end of the logs for each container" },
    { long: "timestamps", short: "t", kind: "bool", usage: "Show timestamps" },
    { long: "since", kind: "string", usage: 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)' },
    { long: "until", kind: "string", usage: 'Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)' },
    { long: "no-color", kind: "bool", usage: "Produce monochrome output" },
    { long: "no-log-prefix", kind: "bool", usage: "Don't print prefix in logs" },
    { long: "index", kind: "int", usage: "index of the container if service has multiple replicas" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args));
  let containers = await guarded(() => projectContainers(cctx, { services: p.args, oneoff: false }));
  if (p.changed.has("index")) containers = containers.filter((c) => c.number === p.values.get("index"));
  const printer = new LogPrinter(ctx.io, containers.map((c) => shortName(c, cctx.project.name)), { color: globalsOf(ctx).color && !bool(p, "no-color"), prefix: !bool(p, "no-log-prefix") });
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once("SIGINT", onInt);
  try {
    await streamLogs(cctx, containers, { follow: bool(p, "follow"), tail: str(p, "tail") || "all", timestamps: bool(p, "timestamps"), since: toApiTimestamp(str(p, "since")), until: toApiTimestamp(str(p, "until")) }, (l) => printer.line(l), ac.signal);
  } finally {
    process.off("SIGINT", onInt);
  }
}
