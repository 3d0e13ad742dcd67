import { createReadStream } from "node:fs";
import type { CliContext, CommandModule } from "../../context.js";
import { readJsonMessages } from "../../../client/engine-client.js";
import { bool, str, type ParsedFlags } from "../../flags.js";

/** `wharf load [-i FILE]`: from FILE or stdin. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Load an image from a tar archive or STDIN",
  aliases: ["image load", "load"],
  args: { exact: 0 },
  flags: [
    { long: "input", short: "i", kind: "string", usage: "Read from tar archive file, instead of STDIN" },
    { long: "quiet", short: "q", kind: "bool", usage: "Suppress the load output" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const input = str(p, "input");
  if (!input && ctx.io.stdin.isTTY) throw new Error("requested load from stdin, but stdin is empty");
  const client = await ctx.client();
  const res = await client.stream("POST", "/images/load", {
    query: { quiet: bool(p, "quiet") ? "1" : undefined },
    rawBody: input ? createReadStream(input) : ctx.io.stdin,
    contentType: "application/x-tar",
  });
  let failure: string | undefined;
  await readJsonMessages(res, (m) => {
    if (typeof m.error === "string") failure = m.error;
    if (typeof m.stream === "string") ctx.io.stdout.write(m.stream);
  });
  if (failure) throw new Error(failure);
}
