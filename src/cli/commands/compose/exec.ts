import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, int, list, str, type ParsedFlags } from "../../flags.js";
import { runCommand } from "../../run-command.js";
import { projectContainers } from "../../../compose/ops/observed.js";
import * as dockerExec from "../container/exec.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose exec SERVICE CMD…`: `docker exec` in the service's container (a TTY unless -T or stdin is not one). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] SERVICE COMMAND [ARGS...]",
  short: "Execute a command in a running container",
  args: { min: 2 },
  interspersed: false,
  flags: [
    { long: "detach", short: "d", kind: "bool", usage: "Detached mode: Run command in the background" },
    { long: "env", short: "e", kind: "list", typeName: "stringArray", usage: "Set environment variables" },
    { long: "index", kind: "int", default: 1, usage: "Index of the container if service has multiple replicas" },
    { long: "no-TTY", short: "T", kind: "bool", usage: "Disable pseudo-TTY allocation. By default `docker compose exec` allocates a TTY." },
    { long: "privileged", kind: "bool", usage: "Give extended privileges to the process" },
    { long: "user", short: "u", kind: "string", usage: "Run the command as this user" },
    { long: "workdir", short: "w", kind: "string", usage: "Path to workdir directory for this command" },
    { long: "interactive", short: "i", kind: "bool", default: true, usage: "Keep STDIN open even if not attached", hidden: true },
    { long: "tty", short: "t", kind: "bool", default: true, usage: "Allocate a pseudo-TTY", hidden: true },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<number | void> {
  const [service, ...cmd] = p.args;
  const cctx = await composeContext(ctx, loadComposeProject(ctx, [service]));
  const index = int(p, "index", 1);
  const c = (await guarded(() => projectContainers(cctx, { services: [service], oneoff: false }))).find((x) => x.number === index && x.State === "running");
  if (!c) throw new StatusError(1, `service "${service}" is not running`);
  const tty = !bool(p, "no-TTY") && bool(p, "tty") && ctx.io.stdin.isTTY === true;
  const argv = [
    ...(bool(p, "detach") ? ["-d"] : ["-i"]),
    ...(tty ? ["-t"] : []),
    ...(bool(p, "privileged") ? ["--privileged"] : []),
    ...(str(p, "user") ? ["-u", str(p, "user")] : []),
    ...(str(p, "workdir") ? ["-w", str(p, "workdir")] : []),
    ...list(p, "env").flatMap((e) => ["-e", e]),
    c.Id,
    ...cmd,
  ];
  return runCommand(ctx, { ...dockerExec.command, path: "compose exec" }, dockerExec, argv);
}
