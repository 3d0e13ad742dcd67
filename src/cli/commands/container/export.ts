import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { str, type ParsedFlags } from "../../flags.js";

/** `wharf export CONTAINER`: the container's filesystem as a tar. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER",
  short: "Export a container's filesystem as a tar archive",
  aliases: ["container export", "export"],
  args: { exact: 1 },
  flags: [{ long: "output", short: "o", kind: "string", usage: "Write to a file, instead of STDOUT" }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const output = str(p, "output");
  if (!output && ctx.io.stdout.isTTY) throw new StatusError(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
  const client = await ctx.client();
  const res = await client.containerExport(p.args[0]!);
  await pipeline(res, output ? createWriteStream(output) : ctx.io.stdout);
}
