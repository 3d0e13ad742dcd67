import { FlagError, parseFlags, type CommandDef } from "./flags.js";
import { argsErrorText, flagErrorText, helpText } from "./usage.js";
import { StatusError, type CliContext, type CommandModule } from "./context.js";
import { errorText } from "./exit-codes.js";

/**
 * Run one command: parse its flags (usage errors → 125), check arity
 * (→ 1), run it, and turn what it throws into docker's stderr text and
 * exit status.
 */
export async function runCommand(ctx: CliContext, def: CommandDef, mod: CommandModule, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseFlags(def, argv);
  } catch (err) {
    if (err instanceof FlagError) {
      ctx.io.stderr.write(flagErrorText(def, err.message));
      return 125;
    }
    throw err;
  }
  if (parsed.help) {
    ctx.io.stdout.write(helpText(def));
    return 0;
  }
  const arity = argsErrorText(def, parsed.args.length);
  if (arity) {
    ctx.io.stderr.write(arity);
    return 1;
  }
  try {
    return (await mod.run(ctx, parsed)) ?? 0;
  } catch (err) {
    if (err instanceof StatusError) {
      if (err.message) ctx.io.stderr.write(err.message.endsWith("\n") ? err.message : `${err.message}\n`);
      return err.status;
    }
    if (ctx.debug && err instanceof Error && err.stack) ctx.io.stderr.write(`${err.stack}\n`);
    ctx.io.stderr.write(`${errorText(err)}\n`);
    return 1;
  }
}
