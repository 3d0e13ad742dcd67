import { readFileSync } from "node:fs";
import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import { importContext } from "../../../client/contexts/context-archive.js";
import { checkNameForCreation, storeOf } from "./shared.js";

/** `wharf context import`: a context from an exported tar (file or stdin). */
export const command: CommandModule["command"] = {
  use: "CONTEXT FILE|-",
  short: "Import a context from a tar or zip file",
  args: { exact: 2 },
  flags: [],
};

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const [name, source] = p.args as [string, string];
  checkNameForCreation(ctx, name);
  let data: Buffer;
  if (source === "-") data = await readAll(ctx.io.stdin);
  else {
    try {
      data = readFileSync(source);
    } catch (err) {
      throw new InvalidArgumentError(`open ${source}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`);
    }
  }
  const { meta, tls } = importContext(name, data);
  const store = storeOf(ctx);
  store.write(meta);
  store.resetTls(name, tls);
  ctx.io.stdout.write(`${name}\n`);
  ctx.io.stderr.write(`Successfully imported context "${name}"\n`);
}
