import type { CliContext, CommandModule } from "../../context.js";
import { list, str, type ParsedFlags } from "../../flags.js";

/** `wharf network connect`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] NETWORK CONTAINER",
  short: "Connect a container to a network",
  aliases: [],
  args: { exact: 2 },
  flags: [
    { long: "alias", kind: "list", usage: "Add network-scoped alias for the container" },
    { long: "ip", kind: "string", usage: "IPv4 address (e.g., \"172.30.100.104\")" },
    { long: "ip6", kind: "string", usage: "IPv6 address (e.g., \"2001:db8::33\")" },
    { long: "driver-opt", kind: "list", usage: "driver options for the network" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const ip = str(p, "ip");
  const ip6 = str(p, "ip6");
  await client.networkConnect(p.args[0], p.args[1], {
    Aliases: list(p, "alias"),
    ...(ip || ip6 ? { IPAMConfig: { IPv4Address: ip || undefined, IPv6Address: ip6 || undefined } } : {}),
  });
}
