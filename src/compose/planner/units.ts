import { parseGoDuration } from "../../lib/filters.js";
import { ComposeError } from "../errors.js";

/** Compose byte sizes: a number of bytes, or `512m`, `1.5g`, `100k`, `64mb`, `2gb`. */
export function parseBytes(v: number | string | undefined, where: string): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number") return v;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(v.trim());
  if (!m) throw new ComposeError(`${where}: invalid size ${JSON.stringify(v)}: use bytes or a suffix b, k, m, g`);
  const mult: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
  return Math.round(parseFloat(m[1]) * mult[m[2].toLowerCase()]);
}

/** Compose durations (`1m30s`, `500ms`, `10s`) in nanoseconds. */
export function parseDurationNs(v: string | number | undefined, where: string): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number") return v * 1e9;
  const ms = parseGoDuration(v.trim());
  if (ms === undefined) throw new ComposeError(`${where}: invalid duration ${JSON.stringify(v)}: use a value such as 10s, 1m30s or 500ms`);
  return Math.round(ms * 1e6);
}
