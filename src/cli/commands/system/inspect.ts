import { ApiError } from "../../../client/api-error.js";
import type { EngineClient } from "../../../client/engine-client.js";
import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { INSPECT_FORMAT_USAGE } from "../shared/format-usage.js";
import { inspectAll } from "../shared/inspect-all.js";

/** `wharf inspect`: any object type, tried in docker's order unless --type says which. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] NAME|ID [NAME|ID...]",
  short: "Return low-level information on Docker objects",
  aliases: [],
  args: { min: 1 },
  flags: [
    { long: "format", short: "f", kind: "string", usage: INSPECT_FORMAT_USAGE },
    { long: "size", short: "s", kind: "bool", usage: "Display total file sizes if the type is container" },
    { long: "type", kind: "string", usage: "Only inspect objects of the given type" },
  ],
};

const TYPES = ["config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"];

type Getter = (client: EngineClient, name: string, size: boolean) => Promise<unknown>;
const GETTERS: Record<string, Getter> = {
  container: (c, n, size) => c.containerInspect(n, size),
  image: (c, n) => c.imageInspect(n),
  network: (c, n) => c.get(`/networks/${encodeURIComponent(n)}`),
  volume: (c, n) => c.get(`/volumes/${encodeURIComponent(n)}`),
  plugin: (c, n) => c.get(`/plugins/${encodeURIComponent(n)}/json`),
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const type = str(p, "type");
  if (type && !TYPES.includes(type)) {
    throw new StatusError(1, `unknown type: "${type}": must be one of ${TYPES.map((t) => `"${t}"`).join(", ")}`);
  }
  const client = await ctx.client();
  const size = bool(p, "size");
  const fetch = async (name: string): Promise<unknown> => {
    if (type) {
      const g = GETTERS[type];
      if (!g) throw new Error(`Error: No such object: ${name}`);
      return g(client, name, size);
    }
    for (const t of ["container", "image", "network", "volume", "plugin"]) {
      try {
        return await GETTERS[t](client, name, size);
      } catch (err) {
        // only "not found" (or an endpoint this daemon lacks) moves on to the next type
        if (!(err instanceof ApiError) || (err.statusCode !== 404 && err.statusCode !== 400 && err.statusCode !== 501)) throw err;
      }
    }
    throw new Error(`Error: No such object: ${name}`);
  };
  await inspectAll(ctx, p.args, str(p, "format"), fetch);
}
