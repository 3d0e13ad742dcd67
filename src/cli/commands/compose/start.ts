import type { CliContext, CommandModule } from "../../context.js";
import { int, type ParsedFlags } from "../../flags.js";
import { startServices } from "../../../compose/ops/lifecycle.js";
import { DEFAULT_WAIT_MS } from "../../../compose/ops/up.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose start`: start existing containers in dependency order. */
export const command: CommandModule["command"] = {
  use: "[SERVICE...]",
  short: "Start services",
  flags: [{ long: "wait-timeout", kind: "int", usage: "Maximum duration in seconds to wait for dependencies" }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args));
  await guarded(() => startServices(cctx, p.args, p.changed.has("wait-timeout") ? int(p, "wait-timeout") * 1000 : DEFAULT_WAIT_MS));
}
