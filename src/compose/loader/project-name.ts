import path from "node:path";
import { InvalidProjectError } from "../errors.js";

/**
 * The project name: `-p`, else COMPOSE_PROJECT_NAME, else the files'
 * top-level `name:`, else the project directory's base name made valid
 * (lower case, only [a-z0-9_-], starting with a letter or digit). Names
 * the user gave must already be valid, as docker compose insists.
 */
const VALID = /^[a-z0-9][a-z0-9_-]*$/;

export function projectName(flag: string | undefined, env: string | undefined, fromFile: string | undefined, dir: string): string {
  for (const given of [flag, env, fromFile]) {
    if (given === undefined || given === "") continue;
    if (!VALID.test(given)) throw new InvalidProjectError(`invalid project name "${given}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`);
    return given;
  }
  const derived = path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, "").replace(/^[^a-z0-9]+/, "");
  if (!derived) throw new InvalidProjectError(`project name must not be empty: the directory "${dir}" gives none; use -p or a top-level "name:"`);
  return derived;
}
