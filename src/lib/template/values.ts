/**
 * How JS values stand in for Go values inside templates.
 *
 *   undefined            Go's invalid reflect.Value (missing map key, nil data)
 *   null                 a nil interface{} (JSON null)
 *   string/boolean       string/bool
 *   number               int when integral, else float64
 *   Array                []interface{}
 *   Map, plain object    map[string]interface{} (iterated and printed in sorted key order)
 *   class instance       a struct (a missing field is an error, like docker's typed contexts)
 *   function             a method; called when reached through a field
 *   Date                 time.Time
 */

export type Kind =
  | "invalid" | "nil" | "string" | "bool" | "int" | "float" | "slice" | "map" | "struct" | "func" | "time";

export function kindOf(v: unknown): Kind {
  if (v === undefined) return "invalid";
  if (v === null) return "nil";
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(v) ? "int" : "float";
    case "bigint":
      return "int";
    case "function":
      return "func";
  }
  if (Array.isArray(v)) return "slice";
  if (v instanceof Map) return "map";
  if (v instanceof Date) return "time";
  return isPlainObject(v) ? "map" : "struct";
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Name of the value's Go type, as used in Go's error messages. */
export function goTypeName(v: unknown): string {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return "interface {}";
    case "string":
      return "string";
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "float":
      return "float64";
    case "slice":
      return "[]interface {}";
    case "map":
      return "map[string]interface {}";
    case "func":
      return "func(...interface {}) interface {}";
    case "time":
      return "time.Time";
    case "struct": {
      const ctor = (v as { constructor?: { goTypeName?: string; name?: string } }).constructor;
      return ctor?.goTypeName ?? `*${ctor?.name ?? "struct"}`;
    }
  }
}

/** Keys of a map-kind value in Go's fmtsort order (strings lexically, numbers numerically). */
export function sortedEntries(v: Map<unknown, unknown> | Record<string, unknown>): [unknown, unknown][] {
  const entries: [unknown, unknown][] =
    v instanceof Map ? [...v.entries()] : Object.keys(v).map((k) => [k, v[k]]);
  return entries.sort(([a], [b]) => compareKeys(a, b));
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  // Go compares strings bytewise (UTF-8); compare by code points.
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Go's template truth: empty/zero/nil values are false. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return false;
    case "string":
      return (v as string).length > 0;
    case "bool":
      return v as boolean;
    case "int":
    case "float":
      return Number(v) !== 0;
    case "slice":
      return (v as unknown[]).length > 0;
    case "map":
      return v instanceof Map ? v.size > 0 : Object.keys(v as object).length > 0;
    default:
      return true;
  }
}

/** Go's len(): strings count UTF-8 bytes. */
export function goLen(v: unknown): number | undefined {
  switch (kindOf(v)) {
    case "string":
      return Buffer.byteLength(v as string, "utf8");
    case "slice":
      return (v as unknown[]).length;
    case "map":
      return v instanceof Map ? v.size : Object.keys(v as object).length;
    default:
      return undefined;
  }
}

/** Own data keys of a struct-like value, for printing with %v. */
export function structFields(v: object): [string, unknown][] {
  return Object.keys(v)
    .map((k): [string, unknown] => [k, (v as Record<string, unknown>)[k]])
    .filter(([, x]) => typeof x !== "function");
}
