import { InvalidArgumentError } from "./errors.js";

/**
 * Engine API filters, parsed from the `filters` query parameter. Two wire
 * forms exist and both are accepted everywhere: the map form the docker CLI
 * sends (`{"label":{"a=b":true}}`) and the array form docker-py and compose
 * send (`{"label":["a=b"]}`).
 */
export type Filters = Map<string, string[]>;

export function parseFilters(raw: string | null | undefined): Filters {
  const out: Filters = new Map();
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidArgumentError(`invalid filter: ${raw} is not valid JSON`);
  }
  // Go clients send `null` for a nil filter map (and for nil values in it): no filter.
  if (parsed === null) return out;
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new InvalidArgumentError("invalid filter: expected a JSON object");
  }
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value === null) continue;
    if (Array.isArray(value)) out.set(key, value.map(String));
    else if (value && typeof value === "object") {
      out.set(key, Object.entries(value as Record<string, unknown>).filter(([, on]) => on !== false).map(([k]) => k));
    } else if (typeof value === "string") out.set(key, [value]);
    else throw new InvalidArgumentError(`invalid filter '${key}'`);
  }
  return out;
}

/** Reject filter keys the endpoint does not know, with Docker's message. */
export function validateFilterKeys(filters: Filters, allowed: readonly string[]): void {
  for (const key of filters.keys()) {
    if (!allowed.includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
  }
}

/** Docker's label filter: `key` matches presence, `key=value` matches value. All must match. */
export function matchLabels(labels: Record<string, string> | null | undefined, wanted: string[] | undefined): boolean {
  if (!wanted || wanted.length === 0) return true;
  const have = labels ?? {};
  return wanted.every((w) => {
    const eq = w.indexOf("=");
    if (eq < 0) return Object.prototype.hasOwnProperty.call(have, w);
    const key = w.slice(0, eq);
    const val = w.slice(eq + 1);
    return have[key] === val;
  });
}

/** Parse a since/until style timestamp: unix seconds (with fraction), RFC3339, or a Go duration relative to now. */
export function parseTimestamp(value: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Math.floor(parseFloat(value) * 1000);
  const dur = parseGoDuration(value);
  if (dur !== undefined) return now - dur;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InvalidArgumentError(`invalid value for "since/until": ${value}`);
  return t;
}

/** Go's time.ParseDuration subset: "10s", "1h30m", "500ms". Returns milliseconds, or undefined when not a duration. */
export function parseGoDuration(value: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  if (!/^(\d+(?:\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  for (const m of value.matchAll(re)) total += parseFloat(m[1]) * unit[m[2]];
  return total;
}
