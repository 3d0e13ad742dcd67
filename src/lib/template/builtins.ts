/**
 * Go text/template's predefined functions plus docker/cli's template
 * functions (templates/templates.go), with Go's argument rules and error
 * messages. `and`/`or` short-circuit and are handled by the executor.
 */
import { goJsonMarshal } from "./go-json.js";
import { formatV, sprint, sprintf, sprintln } from "./printf.js";
import { goLen, goTypeName, isTrue, kindOf } from "./values.js";

export type ParamType = "any" | "string" | "int";

export interface FuncDef {
  fn: (...args: unknown[]) => unknown;
  /** Fixed parameter types; with `variadic` the rest are `any`. */
  params?: ParamType[];
  variadic?: boolean;
}

/** An error returned by a function; the executor reports "error calling NAME: ...". */
export class FuncError extends Error {}

function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args.map((a) => (a === undefined ? "<no value>" : a)));
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    ({ "\0": "\uFFFD", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
}

export function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case "\\": out += "\\\\"; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case "<": out += "\\u003C"; continue;
      case ">": out += "\\u003E"; continue;
      case "&": out += "\\u0026"; continue;
      case "=": out += "\\u003D"; continue;
    }
    if (c < 0x20) out += "\\u00" + c.toString(16).toUpperCase().padStart(2, "0");
    else if (c >= 0x80 && !/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch) && c !== 0x20) {
      out += "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
    } else out += ch;
  }
  return out;
}

export function urlQueryEscape(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/**
 * Go maps case rune by rune (unicode.ToUpper): a rune whose JS case mapping
 * expands to several characters (ß → SS) stays as it is.
 */
function mapRunes(s: string, f: (r: string) => string): string {
  let out = "";
  for (const r of s) {
    const m = f(r);
    out += [...m].length === 1 ? m : r;
  }
  return out;
}

/** strings.Title: upper-cases the first letter of each word. */
export function goTitle(s: string): string {
  let prev = " ";
  let out = "";
  for (const r of s) {
    out += isSeparator(prev) ? mapRunes(r, (x) => x.toUpperCase()) : r;
    prev = r;
  }
  return out;
}
function isSeparator(r: string): boolean {
  const c = r.codePointAt(0)!;
  if (c <= 0x7f) return !/[0-9a-zA-Z_]/.test(r);
  if (/[\p{L}\p{Nd}]/u.test(r)) return false;
  return /\s/u.test(r);
}

function indexArg(index: unknown, cap: number): number {
  if (index === null || index === undefined) throw new FuncError("cannot index slice/array with nil");
  if (typeof index !== "number" || !Number.isInteger(index)) {
    throw new FuncError(`cannot index slice/array with type ${goTypeName(index)}`);
  }
  if (index < 0 || index > cap) throw new FuncError(`index out of range: ${index}`);
  return index;
}

function indexFn(item: unknown, ...indexes: unknown[]): unknown {
  if (item === null || item === undefined) throw new FuncError("index of untyped nil");
  for (const idx of indexes) {
    if (item === null || item === undefined) throw new FuncError("index of nil pointer");
    const k = kindOf(item);
    if (k === "slice" || k === "string") {
      const bytes = k === "string" ? Buffer.from(item as string, "utf8") : null;
      const len = bytes ? bytes.length : (item as unknown[]).length;
      const x = indexArg(idx, len);
      if (x === len) throw new FuncError(`index out of range: ${x}`);
      item = bytes ? bytes[x] : (item as unknown[])[x];
    } else if (k === "map") {
      const v = item instanceof Map ? item.get(idx) : Object.prototype.hasOwnProperty.call(item, String(idx))
        ? (item as Record<string, unknown>)[String(idx)] : undefined;
      item = v === undefined ? null : v;
    } else throw new FuncError(`can't index item of type ${goTypeName(item)}`);
  }
  return item;
}

function sliceFn(item: unknown, ...indexes: unknown[]): unknown {
  if (item === null || item === undefined) throw new FuncError("slice of untyped nil");
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  if (k !== "string" && k !== "slice") throw new FuncError(`can't slice item of type ${goTypeName(item)}`);
  if (k === "string" && indexes.length === 3) throw new FuncError("cannot 3-index slice a string");
  const bytes = k === "string" ? Buffer.from(item as string, "utf8") : null;
  const len = bytes ? bytes.length : (item as unknown[]).length;
  const idx = [0, len, len];
  indexes.forEach((x, i) => (idx[i] = indexArg(x, len)));
  if (idx[0]! > idx[1]!) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  return bytes ? bytes.subarray(idx[0], idx[1]).toString("utf8") : (item as unknown[]).slice(idx[0], idx[1]);
}

type Basic = "bool" | "number" | "string" | "invalid" | "other";
function basicKind(v: unknown): Basic {
  const k = kindOf(v);
  if (k === "invalid" || k === "nil") return "invalid";
  if (k === "int" || k === "float") return "number";
  if (k === "bool" || k === "string") return k;
  return "other";
}

function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new FuncError("missing argument for comparison");
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    if (k1 !== k2) {
      if (k1 !== "invalid" && k2 !== "invalid") throw new FuncError("incompatible types for comparison");
      continue;
    }
    if (k1 === "other") {
      throw new FuncError(`non-comparable type ${formatV(a)}: ${goTypeName(a)}`);
    }
    if (k1 === "invalid" || Number(a) === Number(b) && k1 === "number" || a === b) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === "bool" || k1 === "other" || k1 === "invalid") throw new FuncError("invalid type for comparison");
  if (k1 !== k2) throw new FuncError("incompatible types for comparison");
  return k1 === "number" ? Number(a) < Number(b) : (a as string) < (b as string);
}

function joinFn(elems: unknown, sep: unknown): string {
  if (!Array.isArray(elems)) throw new FuncError(`wrong type for value; expected []string; got ${goTypeName(elems)}`);
  return elems.map((e) => formatV(e)).join(String(sep));
}

/** Builtins of Go's text/template. */
export const GO_BUILTINS: Record<string, FuncDef> = {
  and: { fn: () => undefined, params: ["any"], variadic: true },
  or: { fn: () => undefined, params: ["any"], variadic: true },
  not: { fn: (a) => !isTrue(a), params: ["any"] },
  len: {
    fn: (a) => {
      if (a === null || a === undefined) throw new FuncError("len of nil pointer");
      const n = goLen(a);
      if (n === undefined) throw new FuncError(`len of type ${goTypeName(a)}`);
      return n;
    },
    params: ["any"],
  },
  index: { fn: indexFn, params: ["any"], variadic: true },
  slice: { fn: sliceFn, params: ["any"], variadic: true },
  print: { fn: (...a) => sprint(a), variadic: true, params: [] },
  println: { fn: (...a) => sprintln(a), variadic: true, params: [] },
  printf: { fn: (f, ...a) => sprintf(f as string, a), params: ["string"], variadic: true },
  html: { fn: (...a) => htmlEscape(evalArgs(a)), variadic: true, params: [] },
  js: { fn: (...a) => jsEscape(evalArgs(a)), variadic: true, params: [] },
  urlquery: { fn: (...a) => urlQueryEscape(evalArgs(a)), variadic: true, params: [] },
  call: {
    fn: (f, ...a) => {
      if (f === null || f === undefined) throw new FuncError("call of nil");
      if (typeof f !== "function") throw new FuncError(`non-function of type ${goTypeName(f)}`);
      return (f as (...x: unknown[]) => unknown)(...a);
    },
    params: ["any"],
    variadic: true,
  },
  eq: { fn: eq, params: ["any"], variadic: true },
  ne: { fn: (a, b) => !eq(a, b), params: ["any", "any"] },
  lt: { fn: lt, params: ["any", "any"] },
  le: { fn: (a, b) => lt(a, b) || eq(a, b), params: ["any", "any"] },
  gt: { fn: (a, b) => !lt(a, b) && !eq(a, b), params: ["any", "any"] },
  ge: { fn: (a, b) => !lt(a, b), params: ["any", "any"] },
};

/** docker/cli's basicFunctions. */
export const DOCKER_FUNCS: Record<string, FuncDef> = {
  json: {
    fn: (v) => {
      try {
        return goJsonMarshal(v, { escapeHTML: false }).trim();
      } catch {
        return ""; // docker ignores the encoder's error
      }
    },
    params: ["any"],
  },
  split: { fn: (s, sep) => (sep === "" ? [...(s as string)] : (s as string).split(sep as string)), params: ["string", "string"] },
  join: { fn: joinFn, params: ["any", "string"] },
  title: { fn: (s) => goTitle(s as string), params: ["string"] },
  lower: { fn: (s) => mapRunes(s as string, (r) => r.toLowerCase()), params: ["string"] },
  upper: { fn: (s) => mapRunes(s as string, (r) => r.toUpperCase()), params: ["string"] },
  pad: {
    fn: (s, pre, suf) => (s === "" ? s : " ".repeat(pre as number) + s + " ".repeat(suf as number)),
    params: ["string", "int", "int"],
  },
  truncate: {
    fn: (s, n) => {
      const b = Buffer.from(s as string, "utf8");
      return b.length < (n as number) ? s : b.subarray(0, n as number).toString("utf8");
    },
    params: ["string", "int"],
  },
};

/** docker/cli's HeaderFunctions: keep table headers intact (pad is not overridden). */
export const DOCKER_HEADER_FUNCS: Record<string, FuncDef> = {
  json: { fn: (v) => v, params: ["string"] },
  split: { fn: (v) => v, params: ["string", "string"] },
  join: { fn: (v) => v, params: ["string", "string"] },
  title: { fn: (v) => v, params: ["string"] },
  lower: { fn: (v) => v, params: ["string"] },
  upper: { fn: (v) => v, params: ["string"] },
  truncate: { fn: (v) => v, params: ["string", "int"] },
};
