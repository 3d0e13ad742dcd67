import { StatusError } from "../../context.js";

/** `-f key=value` (repeatable) → filter map; docker's message for a missing `=`. */
export function parseFilterFlags(values: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of values) {
    const eq = raw.indexOf("=");
    if (eq < 0) throw new StatusError(125, `invalid argument "${raw}" for "-f, --filter" flag: bad format of filter (expected name=value)`);
    const key = raw.slice(0, eq).trim().toLowerCase();
    const value = raw.slice(eq + 1).trim();
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}
