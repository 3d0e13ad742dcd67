import { stringify } from "yaml";
import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { projectToConfig } from "../../../compose/serialize.js";
import { loadComposeProject } from "./project.js";

/** `compose config`: the merged, interpolated, normalized model as YAML (or JSON). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "Parse, resolve and render compose file in canonical format",
  flags: [
    { long: "services", kind: "bool", usage: "Print the service names, one per line." },
    { long: "volumes", kind: "bool", usage: "Print the volume names, one per line." },
    { long: "networks", kind: "bool", usage: "Print the network names, one per line." },
    { long: "profiles", kind: "bool", usage: "Print the profile names, one per line." },
    { long: "images", kind: "bool", usage: "Print the image names, one per line." },
    { long: "quiet", short: "q", kind: "bool", usage: "Only validate the configuration, don't print anything" },
    { long: "format", kind: "string", default: "yaml", usage: 'Format the output. Values: [yaml | json]' },
    { long: "output", short: "o", kind: "string", usage: "Save to file (default to stdout)" },
    { long: "no-interpolate", kind: "bool", usage: "Don't interpolate environment variables", hidden: true },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const project = loadComposeProject(ctx, p.args);
  if (bool(p, "quiet")) return;
  const lines = (xs: string[]) => ctx.io.stdout.write(xs.map((x) => `${x}\n`).join(""));
  if (bool(p, "services")) return void lines(Object.keys(project.services));
  if (bool(p, "volumes")) return void lines(Object.keys(project.volumes));
  if (bool(p, "networks")) return void lines(Object.keys(project.networks));
  if (bool(p, "profiles")) return void lines([...new Set(Object.values({ ...project.services, ...project.disabledServices }).flatMap((s) => s.profiles ?? []))].sort());
  if (bool(p, "images")) return void lines(Object.values(project.services).map((s) => s.image ?? `${project.name}-${s.name}`));
  const model = projectToConfig(project, p.args);
  const text = str(p, "format") === "json" ? JSON.stringify(model, null, 2) + "\n" : stringify(model, { lineWidth: 0, aliasDuplicateObjects: false });
  const output = str(p, "output");
  if (output) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(output, text);
  } else ctx.io.stdout.write(text);
}
