import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { COMPOSE_VERSION } from "../../../compose/planner/labels.js";

/** `compose version`: the docker compose release whose behaviour wharf follows, marked as wharf's. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Show the Docker Compose version information",
  flags: [
    { long: "format", short: "f", kind: "string", usage: "Format the output. Values: [pretty | json]. (Default: pretty)" },
    { long: "short", kind: "bool", usage: "Shows only Compose's version number" },
  ],
};

export const VERSION_TEXT = `v${COMPOSE_VERSION}-wharf`;

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  if (bool(p, "short")) ctx.io.stdout.write(`${COMPOSE_VERSION}-wharf\n`);
  else if (str(p, "format") === "json") ctx.io.stdout.write(`${JSON.stringify({ version: VERSION_TEXT })}\n`);
  else ctx.io.stdout.write(`Docker Compose version ${VERSION_TEXT}\n`);
}
