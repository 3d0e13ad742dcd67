import type { CliContext, CommandModule } from "../../context.js";
import { list, str, type ParsedFlags } from "../../flags.js";
import { runCommand } from "../../run-command.js";
import { PROG } from "../../usage.js";
import { COMPOSE_COMMANDS } from "./commands.js";
import type { ComposeCliContext } from "./project.js";

/**
 * `wharf compose [OPTIONS] COMMAND`: docker compose v2's global flags,
 * then one subcommand module (flags → options → src/compose call).
 */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] COMMAND",
  short: "Define and run multi-container applications",
  aliases: ["compose"],
  interspersed: false,
  flags: [
    { long: "file", short: "f", kind: "list", typeName: "stringArray", usage: "Compose configuration files" },
    { long: "project-name", short: "p", kind: "string", usage: "Project name" },
    { long: "project-directory", kind: "string", usage: "Specify an alternate working directory\n(default: the path of the, first specified, Compose file)" },
    { long: "env-file", kind: "list", typeName: "stringArray", usage: "Specify an alternate environment file" },
    { long: "profile", kind: "list", typeName: "stringArray", usage: "Specify a profile to enable" },
    { long: "ansi", kind: "string", default: "auto", usage: 'Control when to print ANSI control characters ("never"|"always"|"auto")' },
    { long: "progress", kind: "string", usage: 'Set type of progress output (auto, tty, plain, json, quiet)' },
    { long: "parallel", kind: "int", default: -1, usage: "Control max parallelism, -1 for unlimited" },
    { long: "compatibility", kind: "bool", usage: "Run compose in backward compatibility mode" },
    { long: "dry-run", kind: "bool", usage: "Execute command in dry run mode", hidden: true },
  ],
};

export function composeHelp(): string {
  const names = Object.keys(COMPOSE_COMMANDS).sort();
  const width = Math.max(...names.map((n) => n.length)) + 3;
  return [
    `Usage:  ${PROG} compose [OPTIONS] COMMAND`,
    "",
    "Define and run multi-container applications with Docker",
    "",
    "Commands:",
    ...names.map((n) => `  ${n.padEnd(width)}${COMPOSE_COMMANDS[n].short}`),
    "",
    `Run '${PROG} compose COMMAND --help' for more information on a command.`,
    "",
  ].join("\n");
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<number> {
  const [sub, ...rest] = p.args;
  if (!sub) {
    ctx.io.stdout.write(composeHelp());
    return 0;
  }
  const entry = COMPOSE_COMMANDS[sub];
  if (!entry) {
    ctx.io.stderr.write(`unknown docker command: "compose ${sub}"\n`);
    return 1;
  }
  const mod = await entry.load();
  const ansi = str(p, "ansi");
  const cctx: ComposeCliContext = {
    ...ctx,
    compose: {
      files: list(p, "file"),
      projectName: str(p, "project-name") || undefined,
      projectDirectory: str(p, "project-directory") || undefined,
      envFiles: list(p, "env-file"),
      profiles: list(p, "profile"),
      color: ansi === "always" || (ansi !== "never" && !process.env.NO_COLOR && ctx.io.stdout.isTTY === true),
      dryRun: p.values.get("dry-run") === true,
    },
  };
  return runCommand(cctx, { ...mod.command, path: `compose ${sub}` }, mod, rest);
}
