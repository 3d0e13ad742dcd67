import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { forEachName } from "../shared/each.js";
import { proxySignals, pumpAttach, resizeTty } from "./attach-streams.js";

/** `wharf start`: start containers; with -a/-i attach to one and exit with its code. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER [CONTAINER...]",
  short: "Start one or more stopped containers",
  aliases: ["container start", "start"],
  args: { min: 1 },
  flags: [
    { long: "attach", short: "a", kind: "bool", usage: "Attach STDOUT/STDERR and forward signals" },
    { long: "detach-keys", kind: "string", usage: "Override the key sequence for detaching a container" },
    { long: "interactive", short: "i", kind: "bool", usage: "Attach container's STDIN" },
  ],
};

interface InspectShape {
  Id: string;
  Config?: { Tty?: boolean; OpenStdin?: boolean };
  HostConfig?: { AutoRemove?: boolean };
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<number | void> {
  const client = await ctx.client();
  if (!bool(p, "attach") && !bool(p, "interactive")) {
    await forEachName(ctx, p.args, (name) => client.containerStart(name), (failed) => `Error: failed to start containers: ${failed.join(", ")}`);
    return;
  }
  if (p.args.length > 1) throw new StatusError(1, "you cannot start and attach multiple containers at once");
  const c = (await client.containerInspect(p.args[0])) as unknown as InspectShape;
  const tty = c.Config?.Tty === true;
  const stdin = bool(p, "interactive") && c.Config?.OpenStdin === true;
  const stopProxy = !tty ? proxySignals(client, c.Id) : () => undefined;
  try {
    const socket = await client.containerAttach(c.Id, { stdin, stdout: true, stderr: true, detachKeys: str(p, "detach-keys") || ctx.config.detachKeys });
    const wait = await client.containerWaitSent(c.Id, c.HostConfig?.AutoRemove ? "removed" : "next-exit");
    await wait.sent;
    const streamed = pumpAttach(socket, ctx.io, { tty, stdin });
    try {
      await client.containerStart(c.Id);
    } catch (err) {
      socket.destroy();
      throw err;
    }
    if (tty) await resizeTty(client, c.Id, ctx.io);
    await streamed.catch(() => undefined);
    return (await wait.result).StatusCode;
  } finally {
    stopProxy();
  }
}
