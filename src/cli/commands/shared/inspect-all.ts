import type { CliContext } from "../../context.js";
import { StatusError } from "../../context.js";
import { errorText } from "../../exit-codes.js";
import { renderInspect } from "../../format/render.js";

/**
 * docker's inspect loop: fetch each object, print all found ones together
 * (a 4-space-indented JSON array, or the template once per object), then
 * each failure on stderr and exit 1 if any failed.
 */
export async function inspectAll(ctx: CliContext, names: string[], format: string, fetch: (name: string) => Promise<unknown>): Promise<void> {
  const items: unknown[] = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      items.push(await fetch(name));
    } catch (err) {
      errors.push(errorText(err));
    }
  }
  const { output, errors: templateErrors } = renderInspect(format, items);
  ctx.io.stdout.write(output);
  errors.push(...templateErrors);
  if (errors.length) throw new StatusError(1, errors.join("\n"));
}
