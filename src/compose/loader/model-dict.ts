import { existsSync } from "node:fs";
import path from "node:path";
import { InvalidProjectError } from "../errors.js";
import type { Dict } from "../model.js";
import { readEnvFile } from "./env-file.js";
import { resolveExtends } from "./extends.js";
import type { InterpolateOptions } from "./interpolate.js";
import { mergeFiles } from "./merge.js";
import { readComposeFile } from "./read-file.js";
import { stripTags } from "./tags.js";

/**
 * The merged, normalized dictionary of a set of compose files: each file
 * read (with its `include`s pulled in), the files merged in order, then
 * `extends` resolved. Project naming and defaults come after this.
 */
export interface ModelSource {
  files: string[];
  projectDir: string;
  environment: Record<string, string>;
  warn(msg: string): void;
  /** Files already being included (loop guard). */
  including?: string[];
}

export function loadModelDict(src: ModelSource): Dict {
  const warned = new Set<string>();
  const interp: InterpolateOptions = {
    lookup: (n) => src.environment[n],
    warnUnset: (n) => {
      if (warned.has(n)) return;
      warned.add(n);
      src.warn(`The "${n}" variable is not set. Defaulting to a blank string.`);
    },
  };
  let merged: Dict | undefined;
  for (const file of src.files) {
    let dict = readComposeFile(file, src.projectDir, interp);
    if (dict.include) dict = withIncludes(dict, file, src);
    merged = merged ? mergeFiles(merged, dict) : (stripTags(dict) as Dict);
  }
  const out = stripTags(merged ?? {}) as Dict;
  if (out.services) out.services = resolveExtends(out.services as Dict, src.files[0], interp);
  return out;
}

const SECTIONS = ["services", "networks", "volumes", "secrets", "configs"];

function withIncludes(dict: Dict, file: string, src: ModelSource): Dict {
  const out: Dict = { ...dict };
  delete out.include;
  for (const entry of dict.include as unknown[]) {
    const e = (typeof entry === "string" ? { path: entry } : entry) as { path: string | string[]; project_directory?: string; env_file?: string | string[] };
    const here = path.dirname(file);
    const files = (Array.isArray(e.path) ? e.path : [e.path]).map((p) => path.resolve(here, p));
    const chain = src.including ?? [];
    if (files.some((f) => chain.includes(f) || f === file)) throw new InvalidProjectError(`include cycle detected: ${[...chain, file, files[0]].join(" -> ")}`);
    const projectDir = e.project_directory ? path.resolve(here, e.project_directory) : path.dirname(files[0]);
    const envFiles = e.env_file ? (Array.isArray(e.env_file) ? e.env_file : [e.env_file]).map((p) => path.resolve(here, p)) : [path.join(projectDir, ".env")].filter((p) => existsSync(p));
    let environment: Record<string, string> = {};
    for (const f of envFiles) environment = { ...environment, ...readEnvFile(f, (n) => src.environment[n] ?? environment[n]) };
    // the including project's variables win over the included project's .env
    environment = { ...environment, ...src.environment };
    const sub = loadModelDict({ files, projectDir, environment, warn: src.warn, including: [...chain, file] });
    for (const section of SECTIONS) {
      const mine = (out[section] ?? {}) as Dict;
      for (const [name, value] of Object.entries((sub[section] ?? {}) as Dict)) {
        if (name in mine && JSON.stringify(mine[name]) !== JSON.stringify(value)) {
          throw new InvalidProjectError(`${file}: ${section}.${name} conflicts with imported resource from ${files[0]}`);
        }
        mine[name] = value;
      }
      if (Object.keys(mine).length) out[section] = mine;
    }
  }
  return out;
}
