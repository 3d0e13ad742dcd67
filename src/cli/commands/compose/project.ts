import type { CliContext } from "../../context.js";
import { StatusError } from "../../context.js";
import { loadProject } from "../../../compose/loader/load.js";
import type { Project } from "../../../compose/model.js";
import type { ComposeContext, ComposeReporter } from "../../../compose/ops/context.js";
import { ComposeError } from "../../../compose/errors.js";
import { registryAuthHeader, registryOfImage } from "../system/login.js";

/** The compose globals (`-f`, `-p`, …) every compose subcommand gets with the CLI context. */
export interface ComposeGlobals {
  files: string[];
  projectName?: string;
  projectDirectory?: string;
  envFiles: string[];
  profiles: string[];
  color: boolean;
  dryRun: boolean;
}

export type ComposeCliContext = CliContext & { compose: ComposeGlobals };

export function globalsOf(ctx: CliContext): ComposeGlobals {
  return (ctx as ComposeCliContext).compose ?? { files: [], envFiles: [], profiles: [], color: false, dryRun: false };
}

/** Warnings as docker compose prints them: logrus text on a terminal, key=value otherwise. */
export function warnLine(ctx: CliContext, message: string): string {
  if (ctx.io.stderr.isTTY) return `WARN[0000] ${message}\n`;
  return `time="${new Date().toISOString().replace(/\.\d+Z$/, "Z")}" level=warning msg=${JSON.stringify(message)}\n`;
}

export function loadComposeProject(ctx: CliContext, services: string[] = []): Project {
  const g = globalsOf(ctx);
  try {
    return loadProject({
      files: g.files,
      projectName: g.projectName,
      projectDirectory: g.projectDirectory,
      envFiles: g.envFiles,
      profiles: g.profiles,
      services,
      warn: (m) => ctx.io.stderr.write(warnLine(ctx, m)),
    });
  } catch (err) {
    throw asStatus(err);
  }
}

/** Project-less commands (`ls`, `version`) and those that work on the name alone (`down -p x`). */
export function projectNameOnly(ctx: CliContext): Project | undefined {
  try {
    return loadComposeProject(ctx);
  } catch (err) {
    const g = globalsOf(ctx);
    if (g.projectName && err instanceof StatusError && /no configuration file provided/.test(err.message)) {
      return { name: g.projectName, workingDir: process.cwd(), configFiles: [], envFiles: [], environment: {}, services: {}, disabledServices: {}, networks: {}, volumes: {}, secrets: {}, configs: {}, extensions: {} };
    }
    throw err;
  }
}

/** The progress lines of docker compose's plain output, on stderr. */
export function reporter(ctx: CliContext, quiet = false): ComposeReporter {
  return {
    progress: (kind, name, status) => {
      if (!quiet) ctx.io.stderr.write(` ${kind} ${name}  ${status}\n`);
    },
    warn: (m) => ctx.io.stderr.write(warnLine(ctx, m)),
    text: (t) => {
      if (!quiet) ctx.io.stdout.write(t);
    },
  };
}

export async function composeContext(ctx: CliContext, project: Project, quiet = false): Promise<ComposeContext> {
  if (globalsOf(ctx).dryRun) throw new StatusError(1, "--dry-run is not supported by wharf compose");
  return {
    client: await ctx.client(),
    project,
    report: reporter(ctx, quiet),
    registryAuth: (image) => registryAuthHeader(registryOfImage(image)) || undefined,
  };
}

/** ComposeError → its message and exit code (15 for invalid project files), never a stack. */
export function asStatus(err: unknown): unknown {
  if (err instanceof ComposeError) return new StatusError(err.exitCode, err.message);
  return err;
}

/** Run a compose operation, mapping compose errors to docker compose's exit codes. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asStatus(err);
  }
}
