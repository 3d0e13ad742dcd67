import { InvalidProjectError } from "../errors.js";
import { OverrideTag } from "./tags.js";

/**
 * Variable interpolation in compose files, shell-style: `$VAR`, `${VAR}`,
 * `${VAR:-default}` / `${VAR-default}`, `${VAR:?err}` / `${VAR?err}`,
 * `${VAR:+alt}` / `${VAR+alt}`, nested `${A:-${B}}`, and `$$` for a
 * literal `$`. Only values are interpolated, never keys.
 */
export interface InterpolateOptions {
  lookup(name: string): string | undefined;
  /** Called once per unset variable that defaulted to "". */
  warnUnset?(name: string): void;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolateString(text: string, opts: InterpolateOptions, where: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== "$") {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
      continue;
    }
    if (next === "{") {
      const end = matchingBrace(text, i + 1);
      if (end < 0) throw new InvalidProjectError(`invalid interpolation format for ${where}: "${text}"; you may need to escape any $ with another $`);
      out += expandBraced(text.slice(i + 2, end), opts, where, text);
      i = end + 1;
      continue;
    }
    const m = NAME.exec(text.slice(i + 1));
    if (!m) {
      // a lone `$` (e.g. at the end) stays literal, as compose does
      out += "$";
      i++;
      continue;
    }
    out += valueOf(m[0], opts);
    i += 1 + m[0].length;
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === "{") depth++;
    else if (text[j] === "}" && --depth === 0) return j;
  }
  return -1;
}

function expandBraced(body: string, opts: InterpolateOptions, where: string, whole: string): string {
  const m = NAME.exec(body);
  if (!m) throw new InvalidProjectError(`invalid interpolation format for ${where}: "${whole}"; you may need to escape any $ with another $`);
  const name = m[0];
  const rest = body.slice(name.length);
  if (rest === "") return valueOf(name, opts);
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest);
  if (!op) throw new InvalidProjectError(`invalid interpolation format for ${where}: "${whole}"; you may need to escape any $ with another $`);
  const arg = () => interpolateString(rest.slice(op[0].length), opts, where);
  const value = opts.lookup(name);
  const colon = op[0].startsWith(":");
  const unset = value === undefined || (colon && value === "");
  switch (op[0].replace(":", "")) {
    case "-":
      return unset ? arg() : (value as string);
    case "?":
      if (unset) throw new InvalidProjectError(`error while interpolating ${where}: required variable ${name} is missing a value${rest.length > op[0].length ? `: ${arg()}` : ""}`);
      return value as string;
    default: // "+"
      return unset ? "" : arg();
  }
}

function valueOf(name: string, opts: InterpolateOptions): string {
  const v = opts.lookup(name);
  if (v === undefined) {
    opts.warnUnset?.(name);
    return "";
  }
  return v;
}

/** Interpolate every string value of a parsed file; `path` names the key in errors (services.web.image). */
export function interpolateTree(node: unknown, opts: InterpolateOptions, path: string[] = []): unknown {
  if (typeof node === "string") return interpolateString(node, opts, path.join(".") || "value");
  if (node instanceof OverrideTag) return new OverrideTag(interpolateTree(node.value, opts, path));
  if (Array.isArray(node)) return node.map((v, i) => interpolateTree(v, opts, [...path, String(i)]));
  if (node && typeof node === "object" && Object.getPrototypeOf(node) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = interpolateTree(v, opts, [...path, k]);
    return out;
  }
  return node;
}
