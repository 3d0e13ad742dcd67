import { InvalidArgumentError } from "../../lib/errors.js";
import { engineSchema, newAjv, type AjvError, type SchemaNode, type Validate } from "./engine-schema.js";

/**
 * Request bodies checked at the edge against the swagger: types and enums
 * only, as Go's decoder would refuse them (ranges, required fields and the
 * like are the daemon's checks, with dockerd's own messages). `null` is
 * Go's zero value: null-valued fields are removed before checking, so
 * handlers never see them.
 */

/** The Go type name dockerd decodes each body into (its messages name it). */
const GO_ROOT: Record<string, string> = {
  ContainerCreate: "CreateRequest",
  ContainerUpdate: "UpdateConfig",
  ContainerExec: "ExecOptions",
  ExecStart: "ExecStartOptions",
  VolumeCreate: "CreateOptions",
  NetworkCreate: "CreateRequest",
  NetworkConnect: "ConnectOptions",
  NetworkDisconnect: "DisconnectOptions",
  ImageCommit: "Config",
  SystemAuth: "AuthConfig",
};

/** dockerd's own words for values outside an enum, where it has them. */
const ENUM_MESSAGES: Record<string, (v: unknown) => string> = {
  "RestartPolicy.Name": (v) => `invalid restart policy: unknown policy '${String(v)}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`,
  "HostConfig.CgroupnsMode": (v) => `invalid cgroup namespace mode: ${String(v)}`,
  "HostConfig.Isolation": (v) => `invalid isolation (${String(v)}): linux only supports 'default'`,
  "HostConfig.Mounts.Type": (v) => `invalid mount config for type "${String(v)}": mount type unknown`,
  "HostConfig.LogConfig.Type": (v) => `logger: no log driver named '${String(v)}' is registered`,
};

const NOT_CHECKED_HERE = new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "required", "minProperties", "maxProperties", "format", "default"]);

function typesAndEnumsOnly(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(typesAndEnumsOnly);
  if (!s || typeof s !== "object") return s;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(s)) {
    if (NOT_CHECKED_HERE.has(k)) continue;
    out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as SchemaNode).map(([p, ps]) => [p, typesAndEnumsOnly(ps)])) : typesAndEnumsOnly(v);
  }
  // "" is Go's zero value for every string: a client that leaves an enum unset sends it.
  if (Array.isArray(out.enum) && out.enum.some((x) => typeof x === "string") && !out.enum.includes("")) out.enum = [...out.enum, ""];
  return out;
}

const compiled = new Map<string, Validate>();
let ajv: ReturnType<typeof newAjv> | undefined;

function validatorFor(operationId: string): Validate | undefined {
  const hit = compiled.get(operationId);
  if (hit) return hit;
  const spec = engineSchema();
  const body = spec.operations[operationId]?.body;
  if (!body) return undefined;
  ajv ??= newAjv();
  const v = ajv.compile({ ...(typesAndEnumsOnly(body) as object), definitions: typesAndEnumsOnly(spec.definitions) });
  compiled.set(operationId, v);
  return v;
}

/** Go's zero-value reading of `null`: a null field is as if absent (deeply). */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!v || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

/** Checks a decoded body against operationId's schema; returns it without nulls. */
export function validateBody<T>(operationId: string, body: unknown): T {
  const clean = withoutNulls(body);
  const validate = validatorFor(operationId);
  if (!validate || validate(clean)) return clean as T;
  throw new InvalidArgumentError(describe(operationId, validate.errors?.[0]));
}

function fieldPath(instancePath: string): string {
  return instancePath.split("/").slice(1).filter((seg) => !/^\d+$/.test(seg)).map((seg) => seg.replace(/~1/g, "/").replace(/~0/g, "~")).join(".");
}

function jsonKind(v: unknown, wantInteger: boolean): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return wantInteger && !Number.isInteger(v) ? `number ${v}` : "number";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "object") return "object";
  return typeof v;
}

function goType(s: SchemaNode | undefined): string {
  if (!s) return "value";
  if (typeof s.$ref === "string") return s.$ref.replace("#/definitions/", "");
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== "null") : s.type;
  switch (t) {
    case "integer":
      return typeof s.format === "string" && /^u?int\d*$/.test(s.format) ? s.format : "int";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    case "string":
      return "string";
    case "array":
      return `[]${goType(s.items as SchemaNode | undefined)}`;
    case "object":
      return s.properties ? "struct" : `map[string]${s.additionalProperties && typeof s.additionalProperties === "object" ? goType(s.additionalProperties as SchemaNode) : "interface {}"}`;
    default:
      return "value";
  }
}

function describe(operationId: string, e: AjvError | undefined): string {
  const root = GO_ROOT[operationId] ?? operationId;
  if (!e) return `invalid JSON: the request body does not match ${root}`;
  const field = fieldPath(e.instancePath);
  if (e.keyword === "enum") {
    const key = Object.keys(ENUM_MESSAGES).find((k) => field === k || field.endsWith(`.${k}`));
    if (key) return ENUM_MESSAGES[key](e.data);
    const allowed = ((e.params.allowedValues as unknown[]) ?? []).filter((x) => x !== null).map((x) => JSON.stringify(x)).join(", ");
    return `invalid value ${JSON.stringify(e.data)} for ${field}: must be one of ${allowed}`;
  }
  if (e.keyword === "type") {
    const want = e.parentSchema;
    const wantInteger = (Array.isArray(want?.type) ? want.type : [want?.type]).includes("integer");
    const into = field ? `Go struct field ${root}.${field}` : `Go value`;
    return `invalid JSON: json: cannot unmarshal ${jsonKind(e.data, wantInteger)} into ${into} of type ${field ? goType(want) : root}`;
  }
  return `invalid value for ${field || "the request body"}: ${e.message ?? e.keyword}`;
}
