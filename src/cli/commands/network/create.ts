import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, list, str, type ParsedFlags } from "../../flags.js";

/** `wharf network create`: flags → NetworkCreateRequest. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] NETWORK",
  short: "Create a network",
  aliases: [],
  args: { exact: 1 },
  flags: [
    { long: "driver", short: "d", kind: "string", usage: 'Driver to manage the Network (default "bridge")' },
    { long: "subnet", kind: "list", usage: "Subnet in CIDR format that represents a network segment" },
    { long: "gateway", kind: "list", usage: "IPv4 or IPv6 Gateway for the master subnet" },
    { long: "ip-range", kind: "list", usage: "Allocate container ip from a sub-range" },
    { long: "internal", kind: "bool", usage: "Restrict external access to the network" },
    { long: "attachable", kind: "bool", usage: "Enable manual container attachment" },
    { long: "ipv6", kind: "bool", usage: "Enable or disable IPv6 networking" },
    { long: "label", kind: "list", usage: "Set metadata on a network" },
    { long: "opt", short: "o", kind: "list", usage: "Set driver specific options" },
    { long: "ipam-driver", kind: "string", usage: 'IP Address Management Driver (default "default")' },
    { long: "ipam-opt", kind: "list", usage: "Set IPAM driver specific options" },
  ],
};

function kv(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of items) {
    const eq = i.indexOf("=");
    out[eq < 0 ? i : i.slice(0, eq)] = eq < 0 ? "" : i.slice(eq + 1);
  }
  return out;
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const subnets = list(p, "subnet");
  const gateways = list(p, "gateway");
  const ranges = list(p, "ip-range");
  if (gateways.length > subnets.length || ranges.length > subnets.length) throw new StatusError(125, "every ip-range or gateway must have a corresponding subnet");
  const config = subnets.map((Subnet, i) => ({ Subnet, Gateway: gateways[i] || undefined, IPRange: ranges[i] || undefined }));
  const client = await ctx.client();
  const res = await client.networkCreate({
    Name: p.args[0],
    Driver: str(p, "driver") || "bridge",
    Internal: bool(p, "internal"),
    Attachable: bool(p, "attachable"),
    EnableIPv6: p.changed.has("ipv6") ? bool(p, "ipv6") : undefined,
    IPAM: { Driver: str(p, "ipam-driver") || "default", Config: config, Options: kv(list(p, "ipam-opt")) },
    Options: kv(list(p, "opt")),
    Labels: kv(list(p, "label")),
  } as never);
  ctx.io.stdout.write(`${res.Id}\n`);
}
