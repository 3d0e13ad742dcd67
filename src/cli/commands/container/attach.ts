import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { proxySignals, pumpAttach, resizeTty } from "./attach-streams.js";

/** `wharf attach`: connect local stdio to a running container. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER",
  short: "Attach local standard input, output, and error streams to a running container",
  aliases: ["container attach", "attach"],
  args: { min: 1, max: 1 },
  flags: [
    { long: "detach-keys", kind: "string", usage: "Override the key sequence for detaching a container" },
    { long: "no-stdin", kind: "bool", usage: "Do not attach STDIN" },
    { long: "sig-proxy", kind: "bool", usage: "Proxy all received signals to the process", default: true },
  ],
};

interface InspectShape {
  Id: string;
  State?: { Running?: boolean; Paused?: boolean; Restarting?: boolean };
  Config?: { Tty?: boolean; OpenStdin?: boolean };
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<number | void> {
  const client = await ctx.client();
  const c = (await client.containerInspect(p.args[0])) as unknown as InspectShape;
  if (!c.State?.Running) throw new StatusError(1, "You cannot attach to a stopped container, start it first");
  if (c.State.Paused) throw new StatusError(1, "You cannot attach to a paused container, unpause it first");
  if (c.State.Restarting) throw new StatusError(1, "You cannot attach to a restarting container, wait until it is running");
  const tty = c.Config?.Tty === true;
  const stdin = !bool(p, "no-stdin") && c.Config?.OpenStdin === true;
  const stop = !tty && bool(p, "sig-proxy") ? proxySignals(client, c.Id) : () => undefined;
  try {
    const socket = await client.containerAttach(c.Id, { stdin, stdout: true, stderr: true, detachKeys: str(p, "detach-keys") || ctx.config.detachKeys });
    if (tty) await resizeTty(client, c.Id, ctx.io);
    await pumpAttach(socket, ctx.io, { tty, stdin }).catch(() => undefined);
  } finally {
    stop();
  }
  const after = (await client.containerInspect(c.Id)) as unknown as { State?: { Running?: boolean; ExitCode?: number } };
  // Detached with the escape sequence: the container still runs and attach exits 0.
  if (after.State?.Running) return 0;
  return after.State?.ExitCode ?? 0;
}
