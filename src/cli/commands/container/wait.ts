import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";
import { StatusError } from "../../context.js";
import { errorText } from "../../exit-codes.js";

/** `wharf wait`: print each container's exit code once it stops. */
export const command: CommandModule["command"] = {
  use: "CONTAINER [CONTAINER...]",
  short: "Block until one or more containers stop, then print their exit codes",
  aliases: ["container wait", "wait"],
  args: { min: 1 },
  flags: [],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const errors: string[] = [];
  for (const name of p.args) {
    try {
      const res = await client.containerWait(name);
      ctx.io.stdout.write(`${res.StatusCode}\n`);
    } catch (err) {
      errors.push(errorText(err));
    }
  }
  if (errors.length) throw new StatusError(1, errors.join("\n"));
}
