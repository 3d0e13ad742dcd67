import type { CliContext, CommandModule } from "../../context.js";
import { list, str, type ParsedFlags } from "../../flags.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import { validateContextName } from "../../../client/contexts/context-store.js";
import { endpointFromConfig, parseDockerFlag, storeOf } from "./shared.js";

/** `wharf context update`: new description and/or docker endpoint for a stored context. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTEXT",
  short: "Update a context",
  args: { exact: 1 },
  flags: [
    { long: "description", kind: "string", usage: "Description of the context" },
    { long: "docker", kind: "list", typeName: "stringToString", usage: "set the docker endpoint (default [])" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const name = p.args[0]!;
  validateContextName(name);
  const store = storeOf(ctx);
  const meta = store.get(name);
  const description = str(p, "description");
  if (description) meta.Metadata = { ...meta.Metadata, Description: description };
  const docker = parseDockerFlag(list(p, "docker"));
  let tls: Record<string, Buffer> | undefined;
  if (docker) {
    let made;
    try {
      made = endpointFromConfig(ctx, docker);
    } catch (err) {
      throw new InvalidArgumentError(`unable to create docker endpoint config: ${(err as Error).message}`);
    }
    meta.Endpoints = { ...meta.Endpoints, docker: made.ep };
    tls = made.tls;
  }
  store.write(meta);
  if (docker) store.resetEndpointTls(name, "docker", tls);
  ctx.io.stdout.write(`${name}\n`);
  ctx.io.stderr.write(`Successfully updated context "${name}"\n`);
}
