import type { CliConfigFile } from "../client/config-file.js";
import type { EngineClient } from "../client/engine-client.js";
import type { ConnectionFlags, Endpoint } from "../client/endpoint.js";
import type { CommandDef, ParsedFlags } from "./flags.js";

/** Streams a command writes to; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
}

/** What every command gets: io, the config file, and a lazily connected client. */
export interface CliContext {
  io: CliIo;
  config: CliConfigFile;
  /** The config directory (--config, DOCKER_CONFIG, ~/.docker): config.json and the context store. */
  configDir: string;
  /** Global connection flags as given (-H, --context, --tls…). */
  connection: ConnectionFlags;
  debug: boolean;
  /** The engine this command would talk to (context, -H, DOCKER_HOST, TLS); throws on a bad context. */
  endpoint(): Endpoint;
  /** Connected (and version-negotiated) Engine API client. */
  client(): Promise<EngineClient>;
}

/** A command module: its flag spec and the action. Returns the exit code (default 0). */
export interface CommandModule {
  command: Omit<CommandDef, "path">;
  run(ctx: CliContext, flags: ParsedFlags): Promise<number | void>;
}

/**
 * Exit with a given status; `message` (if any) goes to stderr as is.
 * Commands throw this instead of calling process.exit.
 */
export class StatusError extends Error {
  constructor(
    readonly status: number,
    message = "",
  ) {
    super(message);
    this.name = "StatusError";
  }
}
