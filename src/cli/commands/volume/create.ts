import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { list, str, type ParsedFlags } from "../../flags.js";

/** `wharf volume create [NAME]`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [VOLUME]",
  short: "Create a volume",
  aliases: [],
  args: { max: 1 },
  flags: [
    { long: "driver", short: "d", kind: "string", default: "local", usage: "Specify volume driver name" },
    { long: "label", kind: "list", usage: "Set metadata for a volume" },
    { long: "name", kind: "string", usage: "Specify volume name", hidden: true },
    { long: "opt", short: "o", kind: "list", typeName: "map", usage: "Set driver specific options" },
  ],
};

function keyValues(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of items) {
    const i = it.indexOf("=");
    out[i < 0 ? it : it.slice(0, i)] = i < 0 ? "" : it.slice(i + 1);
  }
  return out;
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const flagName = str(p, "name");
  const argName = p.args[0];
  if (flagName && argName && flagName !== argName) {
    throw new StatusError(1, `conflicting options: cannot specify a volume-name through both --name and as a positional arg`);
  }
  const client = await ctx.client();
  const v = await client.volumeCreate({ Name: argName ?? flagName, Driver: str(p, "driver") || "local", DriverOpts: keyValues(list(p, "opt")), Labels: keyValues(list(p, "label")) });
  ctx.io.stdout.write(`${String(v.Name)}\n`);
}
