import type { CliContext } from "../../context.js";
import { StatusError } from "../../context.js";
import { errorText } from "../../exit-codes.js";

/**
 * Apply `op` to each named object in order, printing the name on success
 * and each failure's text on stderr, as docker's multi-object commands do.
 * Any failure makes the command exit 1; `summary` adds docker's trailer line.
 */
export async function forEachName(ctx: CliContext, names: string[], op: (name: string) => Promise<void>, summary?: (failed: string[]) => string): Promise<void> {
  const failed: string[] = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      await op(name);
      ctx.io.stdout.write(`${name}\n`);
    } catch (err) {
      failed.push(name);
      errors.push(errorText(err));
    }
  }
  if (failed.length === 0) return;
  if (summary) errors.push(summary(failed));
  throw new StatusError(1, errors.join("\n"));
}
