import type { CliContext, CommandModule } from "../../context.js";
import { bool, type ParsedFlags } from "../../flags.js";
import { removeStopped } from "../../../compose/ops/lifecycle.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose rm`: remove stopped service containers (`-s` stops them first). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "Removes stopped service containers",
  flags: [
    { long: "force", short: "f", kind: "bool", usage: "Don't ask to confirm removal" },
    { long: "stop", short: "s", kind: "bool", usage: "Stop the containers, if required, before removing" },
    { long: "volumes", short: "v", kind: "bool", usage: "Remove any anonymous volumes attached to containers" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args));
  const removed = await guarded(() => removeStopped(cctx, p.args, { stop: bool(p, "stop"), volumes: bool(p, "volumes") }));
  if (removed.length === 0) ctx.io.stderr.write("No stopped containers\n");
}
