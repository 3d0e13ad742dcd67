import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { int, str, type ParsedFlags } from "../../flags.js";
import { projectContainers } from "../../../compose/ops/observed.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose port SERVICE PRIVATE_PORT`: the published address of a service's port. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] SERVICE PRIVATE_PORT",
  short: "Print the public port for a port binding",
  args: { exact: 2 },
  flags: [
    { long: "protocol", kind: "string", default: "tcp", usage: "tcp or udp" },
    { long: "index", kind: "int", default: 1, usage: "Index of the container if service has multiple replicas" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const [service, port] = p.args;
  const cctx = await composeContext(ctx, loadComposeProject(ctx, [service]));
  const index = int(p, "index", 1);
  const c = (await guarded(() => projectContainers(cctx, { services: [service], oneoff: false }))).find((x) => x.number === index);
  if (!c) throw new StatusError(1, `service "${service}" is not running container #${index}`);
  const proto = str(p, "protocol") || "tcp";
  const b = c.Ports.find((x) => x.PrivatePort === Number(port) && x.Type === proto && x.PublicPort);
  if (!b) throw new StatusError(1, `no port ${port}/${proto} for container ${c.name}: not published`);
  ctx.io.stdout.write(`${b.IP ?? "0.0.0.0"}:${b.PublicPort}\n`);
}
