import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";

/** `wharf port CONTAINER [PRIVATE_PORT[/PROTO]]`: docker's "80/tcp -> 0.0.0.0:32768" lines. */
export const command: CommandModule["command"] = {
  use: "CONTAINER [PRIVATE_PORT[/PROTO]]",
  short: "List port mappings or a specific mapping for the container",
  aliases: ["container port"],
  args: { min: 1, max: 2 },
  flags: [],
};

type Bindings = Record<string, { HostIp: string; HostPort: string }[] | null>;

const hostPort = (b: { HostIp: string; HostPort: string }) => `${b.HostIp.includes(":") ? `[${b.HostIp}]` : b.HostIp}:${b.HostPort}`;

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const c = await client.containerInspect(p.args[0]);
  const ports = ((c.NetworkSettings as { Ports?: Bindings } | undefined)?.Ports ?? {}) as Bindings;
  const want = p.args[1];
  if (want) {
    const [port, proto = "tcp"] = want.split("/");
    const list = ports[`${port}/${proto}`];
    if (!list?.length) throw new StatusError(1, `Error: No public port '${port}/${proto}' published for ${p.args[0]}`);
    ctx.io.stdout.write(list.map((b) => `${hostPort(b)}\n`).join(""));
    return;
  }
  const lines: string[] = [];
  for (const [key, list] of Object.entries(ports).sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))) {
    for (const b of list ?? []) lines.push(`${key} -> ${hostPort(b)}`);
  }
  ctx.io.stdout.write(lines.map((l) => `${l}\n`).join(""));
}
