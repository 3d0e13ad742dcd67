import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { ComposeError } from "../errors.js";

/**
 * Which compose files a command reads: `-f` (repeatable), else
 * COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR, default ":"), else the
 * first of compose.yaml, compose.yml, docker-compose.yaml,
 * docker-compose.yml found in the working directory or a parent, plus its
 * `*.override.*` sibling when present.
 */
const CANDIDATES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
const OVERRIDES = ["compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"];

export function findComposeFiles(explicit: string[] | undefined, env: Record<string, string | undefined>, cwd: string): string[] {
  if (explicit && explicit.length > 0) return explicit.map((f) => checkFile(path.resolve(cwd, f)));
  const fromEnv = env.COMPOSE_FILE;
  if (fromEnv) {
    const sep = env.COMPOSE_PATH_SEPARATOR || ":";
    return fromEnv.split(sep).filter(Boolean).map((f) => checkFile(path.resolve(cwd, f)));
  }
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const found = CANDIDATES.map((c) => path.join(dir, c)).find(isFile);
    if (found) {
      const override = OVERRIDES.map((c) => path.join(dir, c)).find(isFile);
      return override ? [found, override] : [found];
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new ComposeError("no configuration file provided: not found");
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

function checkFile(p: string): string {
  if (!existsSync(p)) throw new ComposeError(`open ${p}: no such file or directory`);
  return p;
}
