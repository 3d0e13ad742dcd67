import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, list, str, type ParsedFlags } from "../../flags.js";
import { expandEnv, readKeyValueFile } from "./create-parsers.js";
import { pumpAttach } from "./attach-streams.js";

/** `wharf exec`: run a command in a running container; exits with the command's code. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER COMMAND [ARG...]",
  short: "Execute a command in a running container",
  aliases: ["container exec", "exec"],
  args: { min: 2 },
  interspersed: false,
  flags: [
    { long: "detach", short: "d", kind: "bool", usage: "Detached mode: run command in the background" },
    { long: "detach-keys", kind: "string", usage: "Override the key sequence for detaching a container" },
    { long: "env", short: "e", kind: "list", usage: "Set environment variables" },
    { long: "env-file", kind: "list", usage: "Read in a file of environment variables" },
    { long: "interactive", short: "i", kind: "bool", usage: "Keep STDIN open even if not attached" },
    { long: "privileged", kind: "bool", usage: "Give extended privileges to the command" },
    { long: "tty", short: "t", kind: "bool", usage: "Allocate a pseudo-TTY" },
    { long: "user", short: "u", kind: "string", usage: "Username or UID (format: \"<name|uid>[:<group|gid>]\")" },
    { long: "workdir", short: "w", kind: "string", usage: "Working directory inside the container" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<number | void> {
  const client = await ctx.client();
  const [container, ...cmd] = p.args;
  const detach = bool(p, "detach");
  const tty = bool(p, "tty");
  const interactive = bool(p, "interactive");
  const env = [...list(p, "env-file").flatMap((f) => readKeyValueFile(f, true)), ...list(p, "env").map(expandEnv)];
  const detachKeys = str(p, "detach-keys") || ctx.config.detachKeys;
  const { Id } = await client.execCreate(container, {
    User: str(p, "user") || undefined,
    Privileged: bool(p, "privileged"),
    Tty: tty,
    AttachStdin: interactive && !detach,
    AttachStdout: !detach,
    AttachStderr: !detach,
    Detach: detach,
    DetachKeys: detachKeys || undefined,
    Env: env.length ? env : undefined,
    WorkingDir: str(p, "workdir") || undefined,
    Cmd: cmd,
    ...(tty && (ctx.io.stdout as NodeJS.WriteStream).rows ? { ConsoleSize: [(ctx.io.stdout as NodeJS.WriteStream).rows, (ctx.io.stdout as NodeJS.WriteStream).columns] } : {}),
  });
  if (detach) {
    await client.execStartDetached(Id, tty);
    return;
  }
  const socket = await client.execStartAttached(Id, tty);
  const out = ctx.io.stdout as NodeJS.WriteStream;
  const resize = () => {
    if (out.isTTY && out.rows) client.execResize(Id, out.rows, out.columns).catch(() => undefined);
  };
  if (tty) {
    resize();
    process.on("SIGWINCH", resize);
  }
  try {
    await pumpAttach(socket, ctx.io, { tty, stdin: interactive }).catch(() => undefined);
  } finally {
    process.off("SIGWINCH", resize);
  }
  const info = await client.execInspect(Id);
  const code = info.ExitCode;
  if (typeof code !== "number") throw new StatusError(126, "");
  return code;
}
