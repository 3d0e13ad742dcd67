import type { CliContext, CommandModule } from "../../context.js";
import { int, str, type ParsedFlags } from "../../flags.js";
import { forEachName } from "../shared/each.js";

/** `wharf stop`: stop containers (SIGTERM or --signal, then SIGKILL after the timeout). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER [CONTAINER...]",
  short: "Stop one or more running containers",
  aliases: ["container stop", "stop"],
  args: { min: 1 },
  flags: [
    { long: "signal", short: "s", kind: "string", usage: "Signal to send to the container" },
    { long: "time", kind: "int", usage: "Seconds to wait before killing the container (deprecated: use --timeout)", hidden: true },
    { long: "timeout", short: "t", kind: "int", usage: "Seconds to wait before killing the container" },
  ],
};

export function timeoutOf(p: ParsedFlags): number | undefined {
  if (p.changed.has("timeout")) return int(p, "timeout");
  if (p.changed.has("time")) return int(p, "time");
  return undefined;
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const opts = { timeout: timeoutOf(p), signal: str(p, "signal") || undefined };
  await forEachName(ctx, p.args, (name) => client.containerStop(name, opts));
}
