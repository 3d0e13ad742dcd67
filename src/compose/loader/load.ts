import { existsSync } from "node:fs";
import path from "node:path";
import type { Project } from "../model.js";
import { checkProject } from "./checks.js";
import { readEnvFile } from "./env-file.js";
import { findComposeFiles } from "./files.js";
import { finalizeProject } from "./finalize.js";
import { loadModelDict } from "./model-dict.js";
import { projectName } from "./project-name.js";

/**
 * Load a compose project the way docker compose does: find the files,
 * read the .env (or --env-file) files for interpolation (the process
 * environment wins), merge, validate, name, apply profiles, check
 * references. Throws ComposeError (InvalidProjectError for bad files).
 */
export interface LoadOptions {
  /** `-f` files, in order (relative to cwd). */
  files?: string[];
  /** `-p` */
  projectName?: string;
  /** `--project-directory` */
  projectDirectory?: string;
  /** `--env-file` (replaces the default `.env`) */
  envFiles?: string[];
  /** `--profile` (COMPOSE_PROFILES when empty) */
  profiles?: string[];
  /** Services named on the command line: enabled whatever their profiles. */
  services?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  warn?(msg: string): void;
}

export function loadProject(o: LoadOptions = {}): Project {
  const cwd = o.cwd ?? process.cwd();
  const processEnv = definedOnly(o.env ?? process.env);
  const warn = o.warn ?? (() => undefined);
  // COMPOSE_FILE & co. may come from the .env of the working (or project) directory
  const preDir = o.projectDirectory ? path.resolve(cwd, o.projectDirectory) : cwd;
  const preEnvFiles = envFilesFor(o.envFiles, preDir, cwd);
  const preEnv = { ...readAll(preEnvFiles, processEnv), ...processEnv };
  const files = findComposeFiles(o.files, preEnv, cwd);
  const workingDir = o.projectDirectory ? path.resolve(cwd, o.projectDirectory) : path.dirname(files[0]);
  const envFiles = envFilesFor(o.envFiles, workingDir, cwd);
  const environment = { ...readAll(envFiles, processEnv), ...processEnv };
  const dict = loadModelDict({ files, projectDir: workingDir, environment, warn });
  if (dict.version !== undefined) warn(`${files[0]}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`);
  const name = projectName(o.projectName, environment.COMPOSE_PROJECT_NAME, typeof dict.name === "string" ? dict.name : undefined, workingDir);
  const profiles = o.profiles?.length ? o.profiles : (environment.COMPOSE_PROFILES ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  const project = finalizeProject({ dict, name, workingDir, configFiles: files, envFiles, environment, profiles, requested: o.services ?? [] });
  checkProject(project);
  return project;
}

function envFilesFor(explicit: string[] | undefined, dir: string, cwd: string): string[] {
  if (explicit?.length) return explicit.map((f) => path.resolve(cwd, f));
  const dflt = path.join(dir, ".env");
  return existsSync(dflt) ? [dflt] : [];
}

function readAll(files: string[], env: Record<string, string>): Record<string, string> {
  let out: Record<string, string> = {};
  for (const f of files) out = { ...out, ...readEnvFile(f, (n) => env[n] ?? out[n]) };
  return out;
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
