/**
 * Validates Engine API responses against the swagger's response schemas
 * (src/api/schema/engine-api.json, generated from the v1.50 spec). Use
 * `checkedApi` in place of `api` to assert that every JSON answer a test
 * receives has the documented shape; `responseSchemaErrors` for other clients'
 * answers. `null` is accepted where Go can marshal one (nil slices, maps and
 * pointers: arrays, objects, references), never for strings, numbers or bools.
 */
import assert from "node:assert/strict";
import { engineSchema, newAjv, type SchemaNode, type Validate } from "../../src/api/schema/engine-schema.js";
import { api, type ApiResponse } from "./daemon.js";

interface Op {
  id: string;
  method: string;
  re: RegExp;
  literal: number;
  responses: Record<string, SchemaNode>;
}

let ops: Op[] | undefined;
const validators = new Map<string, Validate>();
let ajv: ReturnType<typeof newAjv> | undefined;

function operations(): Op[] {
  if (ops) return ops;
  ops = Object.entries(engineSchema().operations).map(([id, o]) => {
    // Image and plugin names hold slashes: their {name} spans segments.
    const greedy = /^\/(images|distribution|plugins)\//.test(o.path);
    const re = new RegExp("^" + o.path.replace(/\{[^}]+\}/g, greedy ? "(.+)" : "([^/]+)") + "/?$");
    return { id, method: o.method, re, literal: o.path.replace(/\{[^}]+\}/g, "").length, responses: o.responses };
  });
  // The most literal path wins (/images/search before /images/{name}).
  ops.sort((a, b) => b.literal - a.literal);
  return ops;
}

/** Scalars that are pointers in moby's Go types (nil marshals as null); the swagger does not mark them. */
const GO_POINTER_SCALARS = new Set(["MemorySwappiness", "PidsLimit", "OomKillDisable", "Init", "StopTimeout", "CpuCount", "CpuPercent"]);

/** Go may send null for nil slices, maps and pointers: allow it there. */
function goNullable(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(goNullable);
  if (!s || typeof s !== "object") return s;
  const n = s as SchemaNode;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(n)) {
    if (k === "properties") {
      out.properties = Object.fromEntries(Object.entries(v as SchemaNode).map(([p, ps]) => {
        const inner = nullableRef(goNullable(ps) as SchemaNode);
        return [p, GO_POINTER_SCALARS.has(p) ? { anyOf: [inner, { type: "null" }] } : inner];
      }));
    }
    else if (k === "items" || k === "additionalProperties") out[k] = typeof v === "object" ? nullableRef(goNullable(v) as SchemaNode) : v;
    else out[k] = goNullable(v);
  }
  if (out.type === "object" || out.type === "array") out.type = [out.type, "null"];
  return out;
}
const nullableRef = (s: SchemaNode): SchemaNode => (s && typeof s.$ref === "string" ? { anyOf: [s, { type: "null" }] } : s);

/** The operation that serves METHOD /path (version prefix and query ignored). */
export function operationFor(method: string, urlPath: string): string | undefined {
  const p = urlPath.split("?")[0].replace(/^\/v\d+\.\d+(?=\/)/, "");
  const m = method === "HEAD" ? "HEAD" : method;
  return operations().find((o) => o.method === m && o.re.test(p))?.id;
}

/** Schema violations of one JSON answer (empty when valid or when the spec has no schema for it). */
export function responseSchemaErrors(method: string, urlPath: string, status: number, body: unknown): string[] {
  const id = operationFor(method, urlPath);
  if (!id) return [];
  const op = operations().find((o) => o.id === id)!;
  const schema = op.responses[String(status)] ?? (status >= 400 ? op.responses.default ?? engineSchema().definitions.ErrorResponse : undefined);
  if (!schema || (schema.type === "string" && !("properties" in schema))) return [];
  const key = `${id} ${status}`;
  let v = validators.get(key);
  if (!v) {
    ajv ??= newAjv();
    v = ajv.compile({ ...(goNullable(schema) as object), definitions: goNullable(engineSchema().definitions) });
    validators.set(key, v);
  }
  if (v(body)) return [];
  // anyOf wrappers (Go's nullable pointers) repeat each failure as "must be null": keep the real one.
  return (v.errors ?? []).filter((e) => e.keyword !== "anyOf" && !(e.keyword === "type" && e.params.type === "null")).map((e) => `${id} ${status} ${e.instancePath || "/"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

/** Asserts that a raw response, if it is one JSON document, matches its schema. */
export function assertResponseMatchesSchema(method: string, urlPath: string, r: ApiResponse): void {
  const ct = String(r.headers["content-type"] ?? "");
  if (!ct.startsWith("application/json") || r.body.trim() === "") return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.body);
  } catch {
    return; // a JSON-lines stream (progress, events): not one document
  }
  const errors = responseSchemaErrors(method, urlPath, r.status, parsed);
  assert.deepEqual(errors, [], `${method} ${urlPath} → ${r.status}: the answer does not match the Engine API schema:\n${errors.join("\n")}\n${r.body.slice(0, 2000)}`);
}

/** `api` plus the schema check of the answer. */
export async function checkedApi(socketPath: string, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const r = await api(socketPath, method, urlPath, body, headers);
  assertResponseMatchesSchema(method, urlPath, r);
  return r;
}
