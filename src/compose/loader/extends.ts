import path from "node:path";
import { InvalidProjectError } from "../errors.js";
import type { Dict } from "../model.js";
import type { InterpolateOptions } from "./interpolate.js";
import { mergeService } from "./merge.js";
import { readComposeFile } from "./read-file.js";

/**
 * `extends`: a service starts from another service (in the same model or
 * in `file`, whose relative paths stay relative to that file) and its own
 * keys merge on top. Chains resolve recursively; a loop is an error.
 */
export function resolveExtends(services: Dict, file: string, interp: InterpolateOptions, loaded = new Map<string, Dict>()): Dict {
  const out: Dict = {};
  const resolve = (name: string, pool: Dict, poolFile: string, chain: string[]): Dict => {
    const svc = pool[name] as Dict | undefined;
    if (!svc) throw new InvalidProjectError(`cannot extend service "${chain[chain.length - 1] ?? name}" in ${poolFile}: service "${name}" not found`);
    const ext = svc.extends as { service: string; file?: string } | undefined;
    if (!ext) return svc;
    const key = `${poolFile}#${name}`;
    if (chain.includes(key)) throw new InvalidProjectError(`circular reference with extends: ${[...chain, key].map((c) => c.split("#")[1]).join(" -> ")}`);
    let basePool = pool;
    let baseFile = poolFile;
    if (ext.file) {
      baseFile = path.resolve(path.dirname(poolFile), ext.file);
      let other = loaded.get(baseFile);
      if (!other) {
        other = readComposeFile(baseFile, path.dirname(baseFile), interp);
        loaded.set(baseFile, other);
      }
      basePool = (other.services ?? {}) as Dict;
    }
    const parent = resolve(ext.service, basePool, baseFile, [...chain, key]);
    const own = { ...svc };
    delete own.extends;
    const merged = mergeService(stripUninheritable(parent), own);
    return merged;
  };
  for (const name of Object.keys(services)) out[name] = resolve(name, services, file, []);
  return out;
}

/** Keys compose never inherits through extends. */
function stripUninheritable(s: Dict): Dict {
  const out = { ...s };
  for (const k of ["depends_on", "volumes_from", "links", "extends"]) delete out[k];
  return out;
}
