// How a setting's command-line text and its daemon.json value become a config
// value. One kind per value shape; keys in the table pick one (or bring their own).
import { InvalidArgumentError } from "../../lib/errors.js";

export interface ValueKind<T = unknown> {
  /** false for boolean flags, which take no argument (`--debug`, `--iptables=false`). */
  readonly takesArg: boolean;
  /** One occurrence of a flag; repeatable flags accumulate onto `prev`. */
  fromFlag(text: string | undefined, prev: T | undefined, flag: string): T;
  /** The JSON value found in daemon.json under `key`. */
  fromFile(json: unknown, key: string): T;
  /** The value as dockerd prints it in messages (Go's %v). */
  show(value: T): string;
}

function typeError(key: string, want: string, got: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`invalid value for "${key}": expected ${want}, got ${JSON.stringify(got)}`);
}

/** Go's %v of a JSON value: [a b], map[k:v]. */
export function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (v && typeof v === "object") return `map[${Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => `${k}:${goValue(x)}`).join(" ")}]`;
  return String(v);
}

export const str: ValueKind<string> = {
  takesArg: true,
  fromFlag: (t) => t ?? "",
  fromFile(v, key) {
    if (typeof v !== "string") throw typeError(key, "a string", v);
    return v;
  },
  show: (v) => v,
};

export const bool: ValueKind<boolean> = {
  takesArg: false,
  fromFlag(t, _prev, flag) {
    if (t === undefined || t === "true" || t === "1") return true;
    if (t === "false" || t === "0") return false;
    throw new InvalidArgumentError(`invalid argument "${t}" for "${flag}" flag: strconv.ParseBool: parsing "${t}": invalid syntax`);
  },
  fromFile(v, key) {
    if (typeof v !== "boolean") throw typeError(key, "true or false", v);
    return v;
  },
  show: String,
};

export const int: ValueKind<number> = {
  takesArg: true,
  fromFlag(t, _prev, flag) {
    const n = Number(t);
    if (!t || !Number.isInteger(n)) throw new InvalidArgumentError(`invalid argument "${t}" for "${flag}" flag: strconv.ParseInt: parsing "${t}": invalid syntax`);
    return n;
  },
  fromFile(v, key) {
    if (typeof v !== "number" || !Number.isInteger(v)) throw typeError(key, "an integer", v);
    return v;
  },
  show: String,
};

/** Repeatable flag ↔ JSON array of strings. */
export const list: ValueKind<string[]> = {
  takesArg: true,
  fromFlag: (t, prev) => [...(prev ?? []), t ?? ""],
  fromFile(v, key) {
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw typeError(key, "a list of strings", v);
    return [...v];
  },
  show: goValue,
};

/** Repeatable `key=value` flag ↔ JSON object of strings (log-opts). */
export const map: ValueKind<Record<string, string>> = {
  takesArg: true,
  fromFlag(t, prev, flag) {
    const text = t ?? "";
    const eq = text.indexOf("=");
    if (eq <= 0) throw new InvalidArgumentError(`invalid argument "${text}" for "${flag}" flag: invalid key value pair format: ${text}`);
    return { ...(prev ?? {}), [text.slice(0, eq)]: text.slice(eq + 1) };
  },
  fromFile(v, key) {
    if (!v || typeof v !== "object" || Array.isArray(v)) throw typeError(key, "an object", v);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== "string") throw typeError(`${key}.${k}`, "a string", x);
      out[k] = x;
    }
    return out;
  },
  show: goValue,
};

/** Any JSON value the key validates itself (runtimes, pools, ulimits, features). */
export function json<T>(parseFlag: (text: string, prev: T | undefined, flag: string) => T, check: (v: unknown, key: string) => T): ValueKind<T> {
  return { takesArg: true, fromFlag: (t, prev, flag) => parseFlag(t ?? "", prev, flag), fromFile: check, show: goValue as (v: T) => string };
}
