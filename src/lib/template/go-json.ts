/**
 * Go's encoding/json output for template values: string escaping (optional
 * HTML escaping of < > &, \u2028/\u2029, \b and \f as Go 1.22+ writes them),
 * number formatting, and MarshalIndent layout.
 *
 * Key order: plain objects keep insertion order (they usually mirror a Go
 * struct as the API sent it); Map instances and registered "format contexts"
 * (docker's formatter contexts, marshalled as sorted maps) sort their keys.
 */

const HEX = "0123456789abcdef";
const formatContexts = new WeakSet<object>();

/**
 * Marks an object as a docker formatter context: `{{json .}}` then behaves
 * like docker's marshalMap — keys sorted, zero-argument functions called and
 * included, functions taking arguments left out.
 */
export function registerFormatContext(obj: object): void {
  formatContexts.add(obj);
}

export function goJsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        out += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c < 0xe000) {
      out += "\\ufffd"; // lone surrogate: invalid UTF-8 in Go terms
      continue;
    }
    switch (c) {
      case 0x22: out += '\\"'; continue;
      case 0x5c: out += "\\\\"; continue;
      case 0x08: out += "\\b"; continue;
      case 0x0c: out += "\\f"; continue;
      case 0x0a: out += "\\n"; continue;
      case 0x0d: out += "\\r"; continue;
      case 0x09: out += "\\t"; continue;
      case 0x2028: out += "\\u2028"; continue;
      case 0x2029: out += "\\u2029"; continue;
    }
    if (c < 0x20 || (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) {
      out += "\\u00" + HEX[c >> 4] + HEX[c & 0xf];
      continue;
    }
    out += s[i];
  }
  return out + '"';
}

function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`);
  if (Object.is(n, -0)) return "-0";
  // Go uses %f below 1e21 and down to 1e-6, exponent form outside, with a
  // one-digit exponent where possible: exactly JavaScript's Number#toString.
  return String(n);
}

function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.?0+Z$/, "Z").replace(/\.Z$/, "Z");
}

function entriesOf(v: object): [string, unknown][] {
  if (v instanceof Map) {
    return [...v.entries()].map(([k, x]): [string, unknown] => [String(k), x]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  const rec = v as Record<string, unknown>;
  if (formatContexts.has(v)) {
    const keys = new Set<string>();
    for (let o: object | null = v; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      for (const k of Object.getOwnPropertyNames(o)) if (k !== "constructor") keys.add(k);
    }
    const out: [string, unknown][] = [];
    for (const k of [...keys].sort()) {
      const x = rec[k];
      if (typeof x === "function") {
        if (x.length === 0 && k[0] === k[0]!.toUpperCase() && k !== "FullHeader") out.push([k, x.call(v)]);
      } else if (x !== undefined) out.push([k, x]);
    }
    return out;
  }
  return Object.keys(rec)
    .filter((k) => rec[k] !== undefined && typeof rec[k] !== "function")
    .map((k): [string, unknown] => [k, rec[k]]);
}

/**
 * Go's json.Marshal (indent "") or json.MarshalIndent(v, "", indent).
 * Throws on values Go cannot encode (NaN, Infinity).
 */
export function goJsonMarshal(v: unknown, opts: { escapeHTML: boolean; indent?: string }): string {
  const indent = opts.indent ?? "";
  const enc = (x: unknown, depth: number): string => {
    if (x === undefined || x === null) return "null";
    switch (typeof x) {
      case "string":
        return goJsonString(x, opts.escapeHTML);
      case "number":
        return goJsonNumber(x);
      case "bigint":
        return x.toString();
      case "boolean":
        return String(x);
      case "function":
        throw new Error("json: unsupported type: func()");
    }
    if (x instanceof Date) return goJsonString(rfc3339Nano(x), opts.escapeHTML);
    const toJSON = (x as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function" && !Array.isArray(x)) return enc(toJSON.call(x), depth);
    const nl = indent ? "\n" + indent.repeat(depth + 1) : "";
    const close = indent ? "\n" + indent.repeat(depth) : "";
    const sep = indent ? ": " : ":";
    if (Array.isArray(x)) {
      if (x.length === 0) return "[]";
      return "[" + x.map((e) => nl + enc(e, depth + 1)).join(",") + close + "]";
    }
    // docker/cli marshals formatter contexts with json.Marshal (marshalMap), which escapes <, > and &,
    // even when the surrounding encoder does not.
    if (formatContexts.has(x as object) && !opts.escapeHTML) return goJsonMarshal(x, { ...opts, escapeHTML: true });
    const entries = entriesOf(x as object);
    if (entries.length === 0) return "{}";
    return "{" + entries.map(([k, e]) => nl + goJsonString(k, opts.escapeHTML) + sep + enc(e, depth + 1)).join(",") + close + "}";
  };
  return enc(v, 0);
}
