import type { CliContext, CommandModule } from "../../context.js";
import { list, str, type ParsedFlags } from "../../flags.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import { checkNameForCreation, currentName, endpointFromConfig, getMeta, getTls, parseDockerFlag, storeOf } from "./shared.js";

/** `wharf context create`: a new context in the docker CLI's store. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTEXT",
  short: "Create a context",
  args: { exact: 1 },
  flags: [
    { long: "description", kind: "string", usage: "Description of the context" },
    { long: "docker", kind: "list", typeName: "stringToString", usage: "set the docker endpoint (default [])" },
    { long: "from", kind: "string", usage: "create context from a named context" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const name = p.args[0]!;
  checkNameForCreation(ctx, name);
  const docker = parseDockerFlag(list(p, "docker"));
  const description = str(p, "description");
  const from = str(p, "from");
  const store = storeOf(ctx);
  if (from || !docker) {
    if (docker && Object.keys(docker).length) throw new InvalidArgumentError("cannot use --docker flag when --from is set");
    // a copy of an existing context (the current one by default), TLS material included
    const source = from || currentName(ctx);
    const meta = getMeta(ctx, source);
    const tls = getTls(ctx, source);
    const metadata = { ...meta.Metadata };
    if (description) metadata.Description = description;
    store.write({ Name: name, Metadata: metadata, Endpoints: meta.Endpoints });
    store.resetTls(name, tls);
  } else {
    let made;
    try {
      made = endpointFromConfig(ctx, docker);
    } catch (err) {
      throw new InvalidArgumentError(`unable to create docker endpoint config: ${(err as Error).message}`);
    }
    store.write({ Name: name, Metadata: description ? { Description: description } : {}, Endpoints: { docker: made.ep } });
    store.resetTls(name, made.tls ? { docker: made.tls } : {});
  }
  ctx.io.stdout.write(`${name}\n`);
  ctx.io.stderr.write(`Successfully created context "${name}"\n`);
}
