import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, type ParsedFlags } from "../../flags.js";
import { buildService } from "../../../compose/ops/images.js";
import { selectServices } from "../../../compose/ops/up.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose build`: build the services that have a build section (others are skipped). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "Build or rebuild services",
  flags: [
    { long: "build-arg", kind: "list", typeName: "stringArray", usage: "Set build-time variables for services" },
    { long: "no-cache", kind: "bool", usage: "Do not use cache when building the image" },
    { long: "pull", kind: "bool", usage: "Always attempt to pull a newer version of the image" },
    { long: "quiet", short: "q", kind: "bool", usage: "Don't print anything to STDOUT" },
    { long: "with-dependencies", kind: "bool", usage: "Also build dependencies (transitively)" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const quiet = bool(p, "quiet");
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args), quiet);
  const args: Record<string, string> = {};
  for (const a of list(p, "build-arg")) {
    const eq = a.indexOf("=");
    if (eq < 0) {
      if (process.env[a] !== undefined) args[a] = process.env[a] as string;
    } else args[a.slice(0, eq)] = a.slice(eq + 1);
  }
  await guarded(async () => {
    const services = Object.values(selectServices(cctx, p.args, !bool(p, "with-dependencies")));
    for (const s of services) if (s.build) await buildService(cctx, s, { noCache: bool(p, "no-cache"), pull: bool(p, "pull"), quiet, args });
  });
}
