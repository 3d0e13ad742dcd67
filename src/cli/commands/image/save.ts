import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { CliContext, CommandModule } from "../../context.js";
import { str, type ParsedFlags } from "../../flags.js";

/** `wharf save [-o FILE] IMAGE...`: the archive goes to FILE or stdout (refused on a terminal, like docker). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] IMAGE [IMAGE...]",
  short: "Save one or more images to a tar archive (streamed to STDOUT by default)",
  aliases: ["image save", "save"],
  args: { min: 1 },
  flags: [{ long: "output", short: "o", kind: "string", usage: "Write to a file, instead of STDOUT" }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const out = str(p, "output");
  if (!out && ctx.io.stdout.isTTY) throw new Error("cowardly refusing to save to a terminal. Use the -o flag or redirect");
  const client = await ctx.client();
  const res = await client.stream("GET", "/images/get", { query: { names: p.args } });
  await pipeline(res, out ? createWriteStream(out) : ctx.io.stdout);
}
