import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, list, str, type ParsedFlags } from "../../flags.js";
import { createOneOff } from "../../../compose/ops/run.js";
import { shellSplit } from "../../../compose/loader/shell-split.js";
import { pumpAttach, resizeTty } from "../container/attach-streams.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose run SERVICE [CMD…]`: a one-off container, attached (TTY unless -T), exit code passed on. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] SERVICE [COMMAND] [ARGS...]",
  short: "Run a one-off command on a service",
  args: { min: 1 },
  interspersed: false,
  flags: [
    { long: "detach", short: "d", kind: "bool", usage: "Run container in background and print container ID" },
    { long: "rm", kind: "bool", usage: "Automatically remove the container when it exits" },
    { long: "env", short: "e", kind: "list", typeName: "stringArray", usage: "Set environment variables" },
    { long: "label", short: "l", kind: "list", typeName: "stringArray", usage: "Add or override a label" },
    { long: "name", kind: "string", usage: "Assign a name to the container" },
    { long: "no-TTY", short: "T", kind: "bool", usage: "Disable pseudo-TTY allocation (default: auto-detected)" },
    { long: "no-deps", kind: "bool", usage: "Don't start linked services" },
    { long: "entrypoint", kind: "string", usage: "Override the entrypoint of the image" },
    { long: "publish", short: "p", kind: "list", typeName: "stringArray", usage: "Publish a container's port(s) to the host" },
    { long: "service-ports", short: "P", kind: "bool", usage: "Run command with all service's ports enabled and mapped to the host" },
    { long: "user", short: "u", kind: "string", usage: "Run as specified username or uid" },
    { long: "workdir", short: "w", kind: "string", usage: "Working directory inside the container" },
    { long: "volume", short: "v", kind: "list", typeName: "stringArray", usage: "Bind mount a volume" },
    { long: "build", kind: "bool", usage: "Build image before starting container" },
    { long: "interactive", short: "i", kind: "bool", default: true, usage: "Keep STDIN open even if not attached" },
    { long: "tty", short: "t", kind: "bool", default: true, usage: "Allocate a pseudo-TTY", hidden: true },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<number> {
  const [service, ...cmd] = p.args;
  const cctx = await composeContext(ctx, loadComposeProject(ctx, [service]));
  const detach = bool(p, "detach");
  const tty = !detach && !bool(p, "no-TTY") && ctx.io.stdin.isTTY === true;
  const interactive = !detach && bool(p, "interactive");
  const labels: Record<string, string> = {};
  for (const l of list(p, "label")) {
    const eq = l.indexOf("=");
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? "" : l.slice(eq + 1);
  }
  const entry = str(p, "entrypoint");
  const { id } = await guarded(() =>
    createOneOff(cctx, {
      service, command: cmd.length ? cmd : undefined, entrypoint: entry ? shellSplit(entry) : undefined, env: list(p, "env"), labels,
      user: str(p, "user") || undefined, workdir: str(p, "workdir") || undefined, name: str(p, "name") || undefined,
      noDeps: bool(p, "no-deps"), servicePorts: bool(p, "service-ports"), publish: list(p, "publish"), tty, interactive,
      rm: bool(p, "rm"), volumes: list(p, "volume"), build: bool(p, "build"),
    }),
  );
  const client = cctx.client;
  if (detach) {
    await client.containerStart(id);
    ctx.io.stdout.write(`${id}\n`);
    return 0;
  }
  const socket = await client.containerAttach(id, { stdin: interactive, stdout: true, stderr: true });
  const wait = await client.containerWaitSent(id, bool(p, "rm") ? "removed" : "next-exit");
  await wait.sent;
  const streamed = pumpAttach(socket, ctx.io, { tty, stdin: interactive });
  try {
    await client.containerStart(id);
  } catch (err) {
    socket.destroy();
    throw new StatusError(1, `Error response from daemon: ${(err as Error).message}`);
  }
  if (tty) await resizeTty(client, id, ctx.io);
  await streamed.catch(() => undefined);
  return (await wait.result).StatusCode;
}
