import type { CliContext, CommandModule } from "../../context.js";
import { bool, type ParsedFlags } from "../../flags.js";
import { pushImage } from "../../../compose/ops/images.js";
import { selectServices } from "../../../compose/ops/up.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose push`: push the images of services that name one (`image:`). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "Push service images",
  flags: [
    { long: "ignore-push-failures", kind: "bool", usage: "Push what it can and ignores images with push failures" },
    { long: "include-deps", kind: "bool", usage: "Also push images of services declared as dependencies" },
    { long: "quiet", short: "q", kind: "bool", usage: "Push without printing progress information" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args), bool(p, "quiet"));
  await guarded(async () => {
    const refs = new Set(Object.values(selectServices(cctx, p.args, !bool(p, "include-deps"))).filter((s) => s.image).map((s) => s.image as string));
    for (const ref of refs) {
      await pushImage(cctx, ref).catch((err: Error) => {
        if (bool(p, "ignore-push-failures")) cctx.report.warn(err.message);
        else throw err;
      });
    }
  });
}
