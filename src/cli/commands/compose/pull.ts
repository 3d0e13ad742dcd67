import type { CliContext, CommandModule } from "../../context.js";
import { bool, type ParsedFlags } from "../../flags.js";
import { pullImage } from "../../../compose/ops/images.js";
import { imageName } from "../../../compose/ops/observed.js";
import { selectServices } from "../../../compose/ops/up.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose pull`: pull every service image (services that only build are skipped). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "Pull service images",
  flags: [
    { long: "ignore-buildable", kind: "bool", usage: "Ignore images that can be built" },
    { long: "ignore-pull-failures", kind: "bool", usage: "Pull what it can and ignores images with pull failures" },
    { long: "include-deps", kind: "bool", usage: "Also pull services declared as dependencies" },
    { long: "quiet", short: "q", kind: "bool", usage: "Pull without printing progress information" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args), bool(p, "quiet"));
  await guarded(async () => {
    const services = Object.values(selectServices(cctx, p.args, !bool(p, "include-deps")));
    const refs = new Map<string, string>();
    for (const s of services) {
      if (!s.image || (s.build && bool(p, "ignore-buildable"))) continue;
      refs.set(imageName(cctx.project, s), s.name);
    }
    await Promise.all(
      [...refs].map(([ref, svc]) =>
        pullImage(cctx, ref, svc).catch((err: Error) => {
          const buildable = services.find((s) => s.name === svc)?.build;
          if (bool(p, "ignore-pull-failures") || buildable) cctx.report.warn(err.message);
          else throw err;
        }),
      ),
    );
  });
}
