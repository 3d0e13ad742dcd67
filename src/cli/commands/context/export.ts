import { openSync, writeSync, closeSync, constants } from "node:fs";
import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import { validateContextName } from "../../../client/contexts/context-store.js";
import { exportContext } from "../../../client/contexts/context-archive.js";
import { DEFAULT_CONTEXT } from "../../../client/endpoint.js";
import { getMeta, getTls } from "./shared.js";

/** `wharf context export`: a tar the docker CLI imports (and the other way round). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTEXT [FILE|-]",
  short: "Export a context to a tar archive FILE or a tar stream on STDOUT.",
  args: { min: 1, max: 2 },
  flags: [],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const name = p.args[0]!;
  if (name !== DEFAULT_CONTEXT) validateContextName(name);
  const dest = p.args[1] ?? `${name}.dockercontext`;
  const tar = exportContext(getMeta(ctx, name), getTls(ctx, name));
  if (dest === "-") {
    if (ctx.io.stdout.isTTY) throw new InvalidArgumentError("cowardly refusing to export to a terminal, specify a file path");
    await new Promise<void>((resolve, reject) => ctx.io.stdout.write(tar, (err) => (err ? reject(err) : resolve())));
    return;
  }
  let fd: number;
  try {
    fd = openSync(dest, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidArgumentError(`open ${dest}: ${code === "EEXIST" ? "file exists" : code === "ENOENT" ? "no such file or directory" : (err as Error).message}`);
  }
  try {
    writeSync(fd, tar);
  } finally {
    closeSync(fd);
  }
  ctx.io.stderr.write(`Written file "${dest}"\n`);
}
