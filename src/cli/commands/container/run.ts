import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { errorText, runExitCode } from "../../exit-codes.js";
import { PROG } from "../../usage.js";
import { CREATE_FLAGS, RUN_ONLY_FLAGS, sortFlags } from "./create-flags.js";
import { buildCreateRequest } from "./create-config.js";
import { createContainer } from "./create.js";
import { proxySignals, pumpAttach, resizeTty } from "./attach-streams.js";

/** `wharf run`: create, attach, wait, start, stream, exit with the container's code. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] IMAGE [COMMAND] [ARG...]",
  short: "Create and run a new container from an image",
  aliases: ["container run", "run"],
  interspersed: false,
  args: { min: 1 },
  flags: sortFlags([...CREATE_FLAGS, ...RUN_ONLY_FLAGS]),
};

/** docker's run errors: "wharf: <err>" + hint, exit 125/126/127 by the message. */
export function runError(err: unknown, cmd = "run"): StatusError {
  if (err instanceof StatusError && err.message === "") return err;
  const text = err instanceof StatusError ? err.message : errorText(err);
  const status = err instanceof StatusError ? err.status : runExitCode(text);
  return new StatusError(status, `${PROG}: ${text}\n\nRun '${PROG} ${cmd} --help' for more information`);
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<number> {
  const detach = bool(p, "detach");
  let req;
  try {
    req = buildCreateRequest(p, detach);
  } catch (err) {
    throw runError(err);
  }
  const { body } = req;
  if (body.Tty && body.AttachStdin && !ctx.io.stdin.isTTY) throw new StatusError(1, "the input device is not a TTY");
  const client = await ctx.client();
  let id: string;
  try {
    id = await createContainer(ctx, client, req, str(p, "cidfile") || undefined);
  } catch (err) {
    throw runError(err);
  }

  if (detach) {
    try {
      await client.containerStart(id);
    } catch (err) {
      throw runError(err);
    }
    ctx.io.stdout.write(`${id}\n`);
    return 0;
  }

  const tty = body.Tty === true;
  const stopProxy = !tty && bool(p, "sig-proxy") ? proxySignals(client, id) : () => undefined;
  try {
    const socket = await client.containerAttach(id, {
      stdin: body.AttachStdin,
      stdout: body.AttachStdout,
      stderr: body.AttachStderr,
      detachKeys: str(p, "detach-keys") || ctx.config.detachKeys,
    });
    const autoRemove = (body.HostConfig as { AutoRemove?: boolean }).AutoRemove === true;
    const wait = await client.containerWaitSent(id, autoRemove ? "removed" : "next-exit");
    await wait.sent;
    const streamed = pumpAttach(socket, ctx.io, { tty, stdin: body.AttachStdin === true });
    try {
      await client.containerStart(id);
    } catch (err) {
      socket.destroy();
      if (autoRemove) await wait.result.catch(() => undefined);
      throw runError(err);
    }
    if (tty) await resizeTty(client, id, ctx.io);
    await streamed.catch(() => undefined);
    const status = await wait.result;
    if (status.Error?.Message) ctx.io.stderr.write(`${PROG}: ${status.Error.Message}\n`);
    return status.StatusCode;
  } finally {
    stopProxy();
  }
}
