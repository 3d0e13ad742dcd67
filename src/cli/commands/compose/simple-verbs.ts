import type { CliContext, CommandModule } from "../../context.js";
import { int, str, type ParsedFlags } from "../../flags.js";
import { eachContainer } from "../../../compose/ops/lifecycle.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** restart, kill, pause and unpause: one API call per service container. */
function verb(name: "restart" | "kill" | "pause" | "unpause", short: string, flags: CommandModule["command"]["flags"]): CommandModule {
  return {
    command: { use: name === "kill" || name === "restart" ? "[OPTIONS] [SERVICE...]" : "[SERVICE...]", short, flags },
    async run(ctx: CliContext, p: ParsedFlags): Promise<void> {
      const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args));
      await guarded(() => eachContainer(cctx, name, p.args, { timeout: p.changed.has("timeout") ? int(p, "timeout") : undefined, signal: str(p, "signal") || undefined }));
    },
  };
}

export const restart = verb("restart", "Restart service containers", [
  { long: "timeout", short: "t", kind: "int", usage: "Specify a shutdown timeout in seconds" },
  { long: "no-deps", kind: "bool", usage: "Don't restart dependent services" },
]);
export const kill = verb("kill", "Force stop service containers", [
  { long: "signal", short: "s", kind: "string", default: "SIGKILL", usage: "SIGNAL to send to the container" },
  { long: "remove-orphans", kind: "bool", usage: "Remove containers for services not defined in the Compose file" },
]);
export const pause = verb("pause", "Pause services", []);
export const unpause = verb("unpause", "Unpause services", []);
