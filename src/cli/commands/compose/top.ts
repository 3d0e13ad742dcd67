import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";
import { tabwrite } from "../../format/tabwriter.js";
import { isRunning, projectContainers } from "../../../compose/ops/observed.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose top`: each running container's name, then its processes. */
export const command: CommandModule["command"] = { use: "[SERVICES...]", short: "Display the running processes", flags: [] };

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx, p.args));
  const containers = (await guarded(() => projectContainers(cctx, { services: p.args, oneoff: false }))).filter(isRunning);
  const blocks = await Promise.all(containers.map((c) => cctx.client.containerTop(c.Id).then((t) => ({ c, t }))));
  for (const { c, t } of blocks) {
    const lines = [t.Titles.join("\t"), ...t.Processes.map((r) => r.join("\t"))];
    ctx.io.stdout.write(`${c.name}\n${tabwrite(lines.join("\n") + "\n", { minwidth: 4, tabwidth: 1, padding: 3, padchar: " " })}\n`);
  }
}
