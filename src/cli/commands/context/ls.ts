import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { FORMAT_USAGE } from "../shared/format-usage.js";
import { renderList } from "../shared/render-list.js";
import { ellipsis } from "../shared/text.js";
import { descriptionOf, dockerEndpointOf, naturalLess } from "../../../client/contexts/context-store.js";
import { DEFAULT_CONTEXT } from "../../../client/endpoint.js";
import { currentName, defaultContext, dockerHostWarning, storeOf } from "./shared.js";

/** `wharf context ls`: the docker CLI's table of contexts, the current one starred. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "List contexts",
  aliases: ["context ls", "context list"],
  args: { exact: 0 },
  flags: [
    { long: "format", kind: "string", usage: FORMAT_USAGE },
    { long: "quiet", short: "q", kind: "bool", usage: "Only show context names" },
  ],
};

const TABLE = "table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}";
const HEADERS = { Name: "NAME", Description: "DESCRIPTION", DockerEndpoint: "DOCKER ENDPOINT", Error: "ERROR" };

interface Row {
  Name: string;
  Description: string;
  DockerEndpoint: string;
  Current: boolean;
  Error: string;
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const current = currentName(ctx);
  const store = storeOf(ctx);
  const rows: Row[] = [];
  const def = defaultContext(ctx).meta;
  for (const meta of [...store.list(), def]) {
    const ep = dockerEndpointOf(meta);
    rows.push({
      Name: meta.Name,
      Current: meta.Name === current,
      Description: meta.Name === DEFAULT_CONTEXT ? "Current DOCKER_HOST based configuration" : descriptionOf(meta),
      DockerEndpoint: ep?.Host ?? "",
      Error: ep ? "" : ellipsis("cannot find docker endpoint in context", 45),
    });
  }
  if (!rows.some((r) => r.Current)) {
    let error = "";
    try {
      store.get(current);
    } catch (err) {
      error = ellipsis((err as Error).message, 45);
    }
    rows.push({ Name: current, Current: true, Description: "", DockerEndpoint: "", Error: error });
  }
  rows.sort((a, b) => naturalLess(a.Name, b.Name));
  const format = str(p, "format");
  const template = bool(p, "quiet") ? "{{.Name}}" : format && format !== "table" ? format : TABLE;
  ctx.io.stdout.write(renderList(template, rows, HEADERS));
  dockerHostWarning(ctx);
}
