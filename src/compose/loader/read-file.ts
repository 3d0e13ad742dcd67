import { readFileSync } from "node:fs";
import { ComposeError, InvalidProjectError } from "../errors.js";
import type { Dict } from "../model.js";
import { interpolateTree, type InterpolateOptions } from "./interpolate.js";
import { normalizeService, resolveFileRefs } from "./normalize-service.js";
import { stripTags } from "./tags.js";
import { validateComposeFile } from "./validate.js";
import { parseComposeYaml } from "./yaml-file.js";

/**
 * One compose file from disk to its normalized form: parse the YAML,
 * interpolate values, validate against the schema, expand short syntax
 * (relative paths against `base`). Include and extends come later.
 */
export function readComposeFile(file: string, base: string, interp: InterpolateOptions): Dict {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ComposeError(`open ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`);
  }
  const parsed = parseComposeYaml(text, file);
  let dict: Dict;
  try {
    dict = interpolateTree(parsed, interp) as Dict;
  } catch (err) {
    if (err instanceof ComposeError) throw new InvalidProjectError(`${file}: ${err.message}`);
    throw err;
  }
  validateComposeFile(stripTags(dict), file);
  return normalizeFile(dict, base, file);
}

export function normalizeFile(dict: Dict, base: string, file: string): Dict {
  const out: Dict = { ...dict };
  if (dict.services && typeof dict.services === "object") {
    const services: Dict = {};
    for (const [name, svc] of Object.entries(dict.services as Dict)) services[name] = svc && typeof svc === "object" && !Array.isArray(svc) && Object.getPrototypeOf(svc) === Object.prototype ? normalizeService(name, svc as Dict, base, file) : svc;
    out.services = services;
  }
  for (const k of ["secrets", "configs"]) if (dict[k]) out[k] = resolveFileRefs(dict[k] as Dict, base);
  return out;
}
