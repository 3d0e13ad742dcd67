import type { Dict } from "../model.js";
import { OverrideTag, ResetTag } from "./tags.js";

/**
 * Merge of normalized compose files, the compose-spec way: mappings merge
 * key by key (the later file wins on scalars), sequences append (duplicates
 * dropped), `command`, `entrypoint` and `healthcheck.test` are replaced,
 * `ports` are unique, `volumes` merge by container target, `secrets` and
 * `configs` by source. `!reset` removes, `!override` replaces.
 */
export function mergeFiles(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === "services") out.services = mergeSection(base.services as Dict | undefined, value as Dict | undefined, mergeService);
    else if (["networks", "volumes", "secrets", "configs"].includes(key)) out[key] = mergeSection(base[key] as Dict | undefined, value as Dict | undefined, (a, b) => mergeValue(a, b, []) as Dict);
    else out[key] = mergeValue(base[key], value, [key]);
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

function mergeSection(a: Dict | undefined, b: Dict | undefined, merge: (x: Dict, y: Dict) => Dict): Dict {
  const out: Dict = { ...(a ?? {}) };
  for (const [name, v] of Object.entries(b ?? {})) {
    if (v instanceof ResetTag) delete out[name];
    else if (v instanceof OverrideTag) out[name] = v.value;
    else out[name] = out[name] ? merge((out[name] ?? {}) as Dict, (v ?? {}) as Dict) : v;
  }
  return out;
}

const REPLACED = new Set(["command", "entrypoint"]);

export function mergeService(a: Dict, b: Dict): Dict {
  const out: Dict = { ...a };
  for (const [key, v] of Object.entries(b)) {
    if (v instanceof ResetTag) {
      delete out[key];
      continue;
    }
    if (v instanceof OverrideTag) {
      out[key] = v.value;
      continue;
    }
    if (REPLACED.has(key) || out[key] === undefined) out[key] = v;
    else if (key === "volumes") out[key] = mergeBy(out[key] as Dict[], v as Dict[], (m) => String(m.target));
    else if (key === "secrets" || key === "configs") out[key] = mergeBy(out[key] as Dict[], v as Dict[], (m) => String(m.target ?? m.source));
    else if (key === "healthcheck") out[key] = { ...(mergeValue(out[key], { ...(v as Dict), test: undefined }, [key]) as Dict), ...((v as Dict).test !== undefined ? { test: (v as Dict).test } : {}) };
    else out[key] = mergeValue(out[key], v, [key]);
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

function mergeBy(a: Dict[], b: Dict[], key: (d: Dict) => string): Dict[] {
  const map = new Map<string, Dict>();
  for (const d of [...a, ...b]) map.set(key(d), d);
  return [...map.values()];
}

function mergeValue(a: unknown, b: unknown, path: string[]): unknown {
  if (b instanceof ResetTag) return undefined;
  if (b instanceof OverrideTag) return b.value;
  if (b === undefined) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    const seen = new Set(a.map((x) => JSON.stringify(x)));
    return [...a, ...b.filter((x) => !seen.has(JSON.stringify(x)))];
  }
  if (isDict(a) && isDict(b)) {
    const out: Dict = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const m = mergeValue(out[k], v, [...path, k]);
      if (m === undefined) delete out[k];
      else out[k] = m;
    }
    return out;
  }
  return b;
}

function isDict(v: unknown): v is Dict {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
