import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, str, type ParsedFlags } from "../../flags.js";
import { up } from "../../../compose/ops/up.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";
import { parseScales } from "./up.js";

/** `compose create`: `up --no-start`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "Creates containers for a service",
  flags: [
    { long: "build", kind: "bool", usage: "Build images before starting containers" },
    { long: "no-build", kind: "bool", usage: "Don't build an image, even if it's policy" },
    { long: "pull", kind: "string", default: "policy", usage: 'Pull image before running ("always"|"missing"|"never"|"build")' },
    { long: "force-recreate", kind: "bool", usage: "Recreate containers even if their configuration and image haven't changed" },
    { long: "no-recreate", kind: "bool", usage: "If containers already exist, don't recreate them. Incompatible with --force-recreate." },
    { long: "remove-orphans", kind: "bool", usage: "Remove containers for services not defined in the Compose file" },
    { long: "scale", kind: "list", typeName: "scale", usage: "Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present." },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const project = loadComposeProject(ctx, p.args);
  const cctx = await composeContext(ctx, project);
  const pull = str(p, "pull");
  await guarded(() => up(cctx, { services: p.args, noStart: true, build: bool(p, "build"), noBuild: bool(p, "no-build"), pull: pull !== "policy" ? pull : undefined, forceRecreate: bool(p, "force-recreate"), noRecreate: bool(p, "no-recreate"), removeOrphans: bool(p, "remove-orphans"), scales: parseScales(list(p, "scale")) }));
}
