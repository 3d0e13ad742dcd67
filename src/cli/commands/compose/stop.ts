import type { CliContext, CommandModule } from "../../context.js";
import { int, type ParsedFlags } from "../../flags.js";
import { stopServices } from "../../../compose/ops/lifecycle.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose stop`: stop running containers, dependents first. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "Stop services",
  flags: [{ long: "timeout", short: "t", kind: "int", usage: "Specify a shutdown timeout in seconds" }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args));
  await guarded(() => stopServices(cctx, p.args, p.changed.has("timeout") ? int(p, "timeout") : undefined));
}
