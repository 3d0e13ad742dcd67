/**
 * Go's fmt package for template values: Sprint, Sprintln and Sprintf with
 * the verbs, flags, widths and "%!verb(type=value)" error forms that docker
 * users meet in `--format` strings.
 */
import { formatFloat } from "./fmt-float.js";
import { goTypeName, kindOf, sortedEntries, structFields } from "./values.js";

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}
const NO_FLAGS: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };

/** Go's time.Time String(): "2006-01-02 15:04:05.999999999 -0700 MST" (UTC here). */
export function goTimeString(d: Date): string {
  const iso = d.toISOString(); // 2024-01-02T03:04:05.678Z
  const frac = iso.slice(20, 23).replace(/0+$/, "");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? "." + frac : ""} +0000 UTC`;
}

function stringer(v: object): string | undefined {
  const s = (v as { String?: unknown }).String;
  if (typeof s === "function") return String(s.call(v));
  const t = (v as { toString?: unknown }).toString;
  if (typeof t === "function" && t !== Object.prototype.toString) return String(t.call(v));
  return undefined;
}

/** %v formatting; `nested` values print nil as <nil>. */
export function formatV(v: unknown, sp: Spec = NO_FLAGS, verb = "v"): string {
  switch (kindOf(v)) {
    case "invalid":
      return "<invalid reflect.Value>";
    case "nil":
      return "<nil>";
    case "string":
      return v as string;
    case "bool":
      return String(v);
    case "int":
      return typeof v === "bigint" ? v.toString() : intString(v as number);
    case "float":
      return formatFloat(v as number, "g", sp.prec ?? -1);
    case "slice":
      return "[" + (v as unknown[]).map((e) => formatArg(e, verb, { ...sp, width: undefined })).join(" ") + "]";
    case "map":
      return "map[" + sortedEntries(v as Record<string, unknown>)
        .map(([k, x]) => `${formatArg(k, verb, NO_FLAGS)}:${formatArg(x, verb, NO_FLAGS)}`).join(" ") + "]";
    case "time":
      return goTimeString(v as Date);
    case "func":
      return "0x1";
    case "struct": {
      const s = stringer(v as object);
      if (s !== undefined) return s;
      const fields = structFields(v as object);
      return "{" + fields.map(([k, x]) => (sp.plus ? `${k}:` : "") + formatArg(x, verb, NO_FLAGS)).join(" ") + "}";
    }
  }
}

function intString(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
}

/** Go's fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(args: unknown[]): string {
  let out = "";
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === "string";
    if (i > 0 && !isString && !prevString) out += " ";
    out += formatV(a);
    prevString = isString;
  });
  return out;
}

/** Go's fmt.Sprintln: always spaces, trailing newline. */
export function sprintln(args: unknown[]): string {
  return args.map((a) => formatV(a)).join(" ") + "\n";
}

function badVerb(verb: string, v: unknown): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatV(v)})`;
}

function pad(s: string, sp: Spec, zeroOk = false): string {
  const w = sp.width;
  const len = [...s].length;
  if (w === undefined || len >= w) return s;
  if (sp.minus) return s + " ".repeat(w - len);
  if (sp.zero && zeroOk) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : "";
    const rest = sign ? s.slice(1) : s;
    return sign + "0".repeat(w - len) + rest;
  }
  return " ".repeat(w - len) + s;
}

export { goQuote } from "../go-quote.js";
import { goQuote } from "../go-quote.js";

function formatInt(n: number | bigint, verb: string, sp: Spec): string {
  let b = BigInt(n);
  const neg = b < 0n;
  if (neg) b = -b;
  let digits: string;
  let prefix = "";
  switch (verb) {
    case "d": case "v": digits = b.toString(10); break;
    case "b": digits = b.toString(2); if (sp.sharp) prefix = "0b"; break;
    case "o": digits = b.toString(8); if (sp.sharp && digits[0] !== "0") prefix = "0"; break;
    case "O": digits = b.toString(8); prefix = "0o"; break;
    case "x": digits = b.toString(16); if (sp.sharp) prefix = "0x"; break;
    case "X": digits = b.toString(16).toUpperCase(); if (sp.sharp) prefix = "0X"; break;
    case "c": return pad(String.fromCodePoint(Number(n)), sp);
    case "q": return pad("'" + goQuote(String.fromCodePoint(Number(n))).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'") + "'", sp);
    case "U": {
      const s = "U+" + b.toString(16).toUpperCase().padStart(4, "0");
      return pad(sp.sharp ? `${s} '${String.fromCodePoint(Number(n))}'` : s, sp);
    }
    default:
      return badVerb(verb, Number(n));
  }
  if (sp.prec !== undefined) {
    digits = sp.prec === 0 && b === 0n ? "" : digits.padStart(sp.prec, "0");
  }
  const sign = neg ? "-" : sp.plus ? "+" : sp.space ? " " : "";
  const body = prefix + digits;
  // Zero padding goes between sign and digits, and only without a precision.
  if (sp.zero && !sp.minus && sp.prec === undefined && sp.width !== undefined) {
    const len = sign.length + body.length;
    if (len < sp.width) return sign + prefix + "0".repeat(sp.width - len) + digits;
  }
  return pad(sign + body, sp);
}

function formatFloatVerb(x: number, verb: string, sp: Spec): string {
  let s: string;
  switch (verb) {
    case "v": case "g": case "G": s = formatFloat(x, verb === "G" ? "G" : "g", sp.prec ?? -1); break;
    case "e": case "E": s = formatFloat(x, verb, sp.prec ?? 6); break;
    case "f": case "F": s = formatFloat(x, "f", sp.prec ?? 6); break;
    default: return badVerb(verb, x);
  }
  if (sp.plus && !s.startsWith("-") && !s.startsWith("+")) s = "+" + s;
  else if (sp.space && !s.startsWith("-")) s = " " + s;
  if (s === "+Inf" && !sp.plus) s = "+Inf";
  return pad(s, sp, Number.isFinite(x));
}

function formatString(s: string, verb: string, sp: Spec): string {
  if (sp.prec !== undefined && (verb === "s" || verb === "q" || verb === "v")) s = [...s].slice(0, sp.prec).join("");
  switch (verb) {
    case "v": case "s": return pad(s, sp);
    case "q": return pad(sp.sharp && !s.includes("`") ? "`" + s + "`" : goQuote(s, sp.plus), sp);
    case "x": case "X": {
      const hex = Buffer.from(s, "utf8").toString("hex");
      const h = verb === "X" ? hex.toUpperCase() : hex;
      return pad(sp.space ? h.replace(/(..)(?!$)/g, "$1 ") : h, sp);
    }
    default: return badVerb(verb, s);
  }
}

/** Formats one operand for one verb (Go's printArg). */
export function formatArg(v: unknown, verb: string, sp: Spec): string {
  if (verb === "T") return pad(v === null || v === undefined ? "<nil>" : goTypeName(v), sp);
  const kind = kindOf(v);
  switch (kind) {
    case "invalid":
    case "nil":
      return verb === "v" ? pad("<nil>", sp) : badVerb(verb, null);
    case "bool":
      return verb === "t" || verb === "v" ? pad(String(v), sp) : badVerb(verb, v);
    case "int":
      if ("eEfFgG".includes(verb)) return formatFloatVerb(Number(v), verb, sp);
      return formatInt(v as number, verb, sp);
    case "float":
      return formatFloatVerb(v as number, verb, sp);
    case "string":
      return formatString(v as string, verb, sp);
    case "slice":
    case "map":
      return "bdoOxXcqUeEfFgGsv".includes(verb) ? pad(formatV(v, sp, verb), sp) : badVerb(verb, v);
    default:
      if (verb === "v" || verb === "s") return pad(formatV(v, sp, verb), sp);
      if (kind === "struct" && verb === "d") return pad(formatV(v, sp, verb), sp);
      return badVerb(verb, v);
  }
}

/** Go's fmt.Sprintf. */
export function sprintf(format: string, args: unknown[]): string {
  let out = "";
  let argNum = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const sp: Spec = { ...NO_FLAGS };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === "-") { sp.minus = true; sp.zero = false; }
      else if (c === "+") sp.plus = true;
      else if (c === "#") sp.sharp = true;
      else if (c === " ") sp.space = true;
      else if (c === "0") sp.zero = !sp.minus;
      else break;
    }
    const readNum = (): number | undefined => {
      if (format[i] === "*") {
        i++;
        const a = args[argNum++];
        return typeof a === "number" ? Math.trunc(a) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    sp.width = readNum();
    if (sp.width !== undefined && sp.width < 0) {
      sp.minus = true;
      sp.width = -sp.width;
    }
    if (format[i] === ".") {
      i++;
      sp.prec = readNum() ?? 0;
    }
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argNum++], verb, sp);
  }
  if (argNum < args.length) {
    out += "%!(EXTRA " + args.slice(argNum).map((a) =>
      a === null || a === undefined ? "<nil>" : `${goTypeName(a)}=${formatV(a)}`).join(", ") + ")";
  }
  return out;
}
