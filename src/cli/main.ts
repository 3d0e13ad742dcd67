import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CliContext, CliIo, CommandModule } from "./context.js";
import type { EngineClient } from "../client/engine-client.js";
import type { Endpoint } from "../client/endpoint.js";

/**
 * `wharf` entry: global flags, then either the daemon or one client command.
 * Everything but this file and the registry is loaded on demand so a
 * client command costs one small import graph.
 */
export interface GlobalOptions {
  host?: string;
  context?: string;
  tls?: boolean;
  /** undefined when not given: DOCKER_TLS_VERIFY decides. */
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
  configDir?: string;
  debug: boolean;
  logLevel?: string;
  version: boolean;
  help: boolean;
}

const GLOBAL_WITH_VALUE: Record<string, keyof GlobalOptions | "ignore"> = {
  "-H": "host", "--host": "host", "--config": "configDir", "-l": "logLevel", "--log-level": "logLevel",
  "-c": "context", "--context": "context", "--tlscacert": "tlscacert", "--tlscert": "tlscert", "--tlskey": "tlskey",
};
const GLOBAL_BOOL: Record<string, keyof GlobalOptions | "ignore"> = {
  "-D": "debug", "--debug": "debug", "-v": "version", "--version": "version", "-h": "help", "--help": "help",
  "--tls": "tls", "--tlsverify": "tlsverify",
};

export class GlobalFlagError extends Error {}

/** Split `[global flags] command args...`; the first non-flag word starts the command. */
export function parseGlobal(argv: string[]): { opts: GlobalOptions; rest: string[] } {
  const opts: GlobalOptions = { debug: false, version: false, help: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") { i++; break; }
    if (!arg.startsWith("-") || arg === "-") break;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg.length > 2 && !arg.startsWith("--") ? arg.slice(0, 2) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : name !== arg ? arg.slice(2).replace(/^=/, "") : undefined;
    const withValue = GLOBAL_WITH_VALUE[name];
    if (withValue) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new GlobalFlagError(`flag needs an argument: ${name.startsWith("--") ? name : `'${name[1]}' in ${name}`}`);
      if (withValue !== "ignore") (opts as unknown as Record<string, string>)[withValue] = value;
      continue;
    }
    const boolKey = GLOBAL_BOOL[name];
    if (boolKey && (inline === undefined || eq > 0)) {
      if (boolKey !== "ignore") (opts as unknown as Record<string, boolean>)[boolKey] = inline === undefined || inline === "true" || inline === "1";
      continue;
    }
    throw new GlobalFlagError(name.startsWith("--") ? `unknown flag: ${name}` : `unknown shorthand flag: '${name[1]}' in ${arg}`);
  }
  return { opts, rest: argv.slice(i) };
}

/** `docker-compose` (a link to wharf in a docker CLI plugin dir, or on the PATH) runs compose. */
function invokedAsComposePlugin(): boolean {
  const self = process.argv[1] ?? "";
  return self.endsWith("/docker-compose") || self === "docker-compose";
}

/** Absolute path of the bin/wharf script (for auto-starting the daemon). */
export function wharfBinPath(): string {
  const here = dirname(fileURLToPath(import.meta.url)); // dist/src/cli
  return realpathSync(join(here, "..", "..", "..", "bin", "wharf"));
}

export async function main(argv: string[], io: CliIo = process as unknown as CliIo): Promise<number> {
  if (argv[0] === "daemon") {
    const daemon = (await import("../daemon/main.js")) as { runDaemon(args: string[]): Promise<unknown> };
    await daemon.runDaemon(argv.slice(1));
    return 0;
  }
  if (argv[0] === "registry") {
    // A registry server needs no daemon (the role of the registry:2 image).
    const { runRegistry } = await import("../registry/main.js");
    return runRegistry(argv.slice(1), io.stdout, io.stderr);
  }
  if (invokedAsComposePlugin()) {
    const { pluginArgv } = await import("./commands/compose/plugin.js");
    const converted = pluginArgv(argv, io);
    if (converted === undefined) return 0;
    argv = converted;
  }
  const { PROG } = await import("./usage.js");
  let global: ReturnType<typeof parseGlobal>;
  try {
    global = parseGlobal(argv);
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\nUsage:  ${PROG} [OPTIONS] COMMAND [ARG...]\n\nRun '${PROG} --help' for more information\n`);
    return 125;
  }
  const { opts, rest } = global;
  if (opts.version) {
    const { cliVersion } = await import("./build-info.js");
    io.stdout.write(`Wharf version ${cliVersion()}, build unknown\n`);
    return 0;
  }
  const { resolveCommand, groupHelp } = await import("./registry.js");
  if (rest.length === 0 || rest[0] === "help") {
    const { topHelp } = await import("./top-help.js");
    io.stdout.write(topHelp());
    return 0;
  }
  const resolved = resolveCommand(rest);
  if (!resolved) {
    const group = GROUPS_HAS(rest[0]) ? rest[0] : undefined;
    const usage = group ? `\n\nUsage:  ${PROG} ${group}\n\nRun '${PROG} ${group} --help' for more information\n` : `\n\nRun '${PROG} --help' for more information\n`;
    io.stderr.write(`${PROG}: unknown command: ${PROG} ${rest.slice(0, group ? 2 : 1).join(" ")}${usage}`);
    return 1;
  }
  if ("group" in resolved) {
    io.stdout.write(groupHelp(PROG, resolved.group));
    return 0;
  }
  const mod: CommandModule = await resolved.entry.load();
  const { runCommand } = await import("./run-command.js");
  const ctx = await makeContext(io, opts);
  try {
    return await runCommand(ctx, { ...mod.command, path: resolved.path }, mod, resolved.rest);
  } finally {
    clientRef?.close();
  }
}

function GROUPS_HAS(word: string): boolean {
  return word === "container" || word === "image" || word === "system" || word === "context";
}

let clientRef: EngineClient | undefined;

async function makeContext(io: CliIo, opts: GlobalOptions): Promise<CliContext> {
  const { loadConfigFile, configDir } = await import("../client/config-file.js");
  const { resolveEndpoint } = await import("../client/endpoint.js");
  const config = loadConfigFile(opts.configDir);
  const dir = configDir(opts.configDir);
  let pending: Promise<EngineClient> | undefined;
  let endpoint: Endpoint | undefined;
  const ctx: CliContext = {
    io,
    config,
    configDir: dir,
    connection: opts,
    debug: opts.debug,
    endpoint: () => (endpoint ??= resolveEndpoint(opts, process.env, dir, config.currentContext)),
    client: () => (pending ??= connect(io, ctx.endpoint()).then((c) => (clientRef = c))),
  };
  return ctx;
}

async function connect(io: CliIo, ep: Endpoint): Promise<EngineClient> {
  const { EngineClient } = await import("../client/engine-client.js");
  const { ConnectionError } = await import("../client/api-error.js");
  const client = new EngineClient({ host: ep.host, tls: ep.tls, apiVersion: process.env.DOCKER_API_VERSION || undefined });
  try {
    await client.negotiate();
  } catch (err) {
    const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
    if (!(err instanceof ConnectionError) || ep.explicit || !isRoot) throw err;
    const { startDaemonAndWait } = await import("../client/autostart.js");
    await startDaemonAndWait(client, wharfBinPath(), {
      onStarted: (log) => io.stderr.write(`wharf: started the daemon in the background (log: ${log})\n`),
    });
  }
  return client;
}
