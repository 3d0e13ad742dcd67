import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, int, str, type ParsedFlags } from "../../flags.js";
import { down } from "../../../compose/ops/down.js";
import { composeContext, guarded, projectNameOnly } from "./project.js";

/** `compose down`: stop and remove containers and networks (`-v` volumes, `--rmi` images). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICES]",
  short: "Stop and remove containers, networks",
  flags: [
    { long: "volumes", short: "v", kind: "bool", usage: "Remove named volumes declared in the \"volumes\" section of the Compose file and anonymous volumes attached to containers" },
    { long: "rmi", kind: "string", usage: 'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")' },
    { long: "remove-orphans", kind: "bool", usage: "Remove containers for services not defined in the Compose file" },
    { long: "timeout", short: "t", kind: "int", usage: "Specify a shutdown timeout in seconds" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const rmi = str(p, "rmi");
  if (rmi && rmi !== "local" && rmi !== "all") throw new StatusError(1, `invalid value for --rmi: "${rmi}": use "local" or "all"`);
  const project = projectNameOnly(ctx);
  if (!project) return;
  const cctx = await composeContext(ctx, project);
  await guarded(() => down(cctx, { volumes: bool(p, "volumes"), rmi: (rmi || undefined) as "local" | "all" | undefined, removeOrphans: bool(p, "remove-orphans"), timeout: p.changed.has("timeout") ? int(p, "timeout") : undefined }));
}
