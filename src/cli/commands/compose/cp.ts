import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, int, type ParsedFlags } from "../../flags.js";
import { runCommand } from "../../run-command.js";
import { projectContainers } from "../../../compose/ops/observed.js";
import * as dockerCp from "../container/cp.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose cp SERVICE:SRC DEST` / `SRC SERVICE:DEST`: `docker cp` with the service's container. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] SERVICE:SRC_PATH DEST_PATH|-\n\tdocker compose cp [OPTIONS] SRC_PATH|- SERVICE:DEST_PATH",
  short: "Copy files/folders between a service container and the local filesystem",
  args: { exact: 2 },
  flags: [
    { long: "archive", short: "a", kind: "bool", usage: "Archive mode (copy all uid/gid information)" },
    { long: "follow-link", short: "L", kind: "bool", usage: "Always follow symbol link in SRC_PATH" },
    { long: "index", kind: "int", default: 0, usage: "Index of the container if service has multiple replicas" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<number> {
  const cctx = await composeContext(ctx, loadComposeProject(ctx));
  const resolve = async (arg: string): Promise<string> => {
    const m = /^([a-zA-Z0-9._-]+):(.*)$/.exec(arg);
    if (!m || !cctx.project.services[m[1]]) return arg;
    const index = int(p, "index", 0) || 1;
    const c = (await guarded(() => projectContainers(cctx, { services: [m[1]], oneoff: false }))).find((x) => x.number === index);
    if (!c) throw new StatusError(1, `no container found for service "${m[1]}"`);
    return `${c.Id}:${m[2]}`;
  };
  const [src, dst] = await Promise.all(p.args.map(resolve));
  const argv = [...(bool(p, "archive") ? ["-a"] : []), ...(bool(p, "follow-link") ? ["-L"] : []), src, dst];
  return runCommand(ctx, { ...dockerCp.command, path: "compose cp" }, dockerCp, argv);
}
