import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { InvalidProjectError } from "../errors.js";

/**
 * Validation of one (interpolated) compose file against the compose-spec
 * JSON schema (src/compose/schema/compose-spec.json, a copy of the spec's).
 * The first, most specific violation becomes one message naming the file
 * and the key path: `validating /p/compose.yaml: services.web: additional
 * property 'foo' is not allowed`.
 */
interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
type ValidateFn = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

let validator: ValidateFn | undefined;

function schemaPath(): string {
  for (const rel of ["./schema/compose-spec.json", "../../../src/compose/schema/compose-spec.json"]) {
    const p = fileURLToPath(new URL(rel, new URL("..", import.meta.url)));
    if (existsSync(p)) return p;
  }
  throw new Error("wharf data file not found: src/compose/schema/compose-spec.json");
}

function load(): ValidateFn {
  const require = createRequire(import.meta.url);
  // the build compiles the schema to standalone code (scripts/compile-compose-schema.mjs); compiling here costs seconds
  const compiled = fileURLToPath(new URL("../schema/compose-validator.cjs", import.meta.url));
  if (existsSync(compiled)) return require(compiled) as ValidateFn;
  const Ajv = (require("ajv") as { default: new (o: object) => { compile(s: object): ValidateFn } }).default;
  const schema = JSON.parse(readFileSync(schemaPath(), "utf8")) as Record<string, unknown>;
  delete schema.$schema; // draft-07 under an https URL ajv does not know by that name
  return new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
}

export function validateComposeFile(data: unknown, file: string): void {
  validator ??= load();
  if (validator(data)) return;
  const err = pickError(validator.errors ?? []);
  throw new InvalidProjectError(`validating ${file}: ${describe(err)}`);
}

/** The deepest error, preferring a concrete one over oneOf/anyOf summaries and unknown keys over type errors. */
function pickError(errors: AjvError[]): AjvError {
  const rank = (e: AjvError) => {
    const depth = e.instancePath.split("/").length * 10;
    const kind = e.keyword === "additionalProperties" ? 5 : e.keyword === "oneOf" || e.keyword === "anyOf" ? -5 : e.keyword === "type" ? 1 : 2;
    return depth + kind;
  };
  return [...errors].sort((a, b) => rank(b) - rank(a))[0];
}

function describe(e: AjvError): string {
  const path = e.instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")).join(".");
  const at = path || "(root)";
  switch (e.keyword) {
    case "additionalProperties":
      return `${at}${path ? " " : " "}additional property '${String(e.params.additionalProperty)}' is not allowed`.replace("(root) ", "");
    case "type": {
      const want = String(e.params.type).split(",").map(typeWord).join(" or ");
      return `${at} must be ${want}`;
    }
    case "enum":
      return `${at} must be one of: ${(e.params.allowedValues as unknown[]).map(String).join(", ")}`;
    case "required":
      return `${at}: missing required property '${String(e.params.missingProperty)}'`;
    case "pattern":
      return `${at} does not match pattern ${String(e.params.pattern)}`;
    case "uniqueItems":
      return `${at} contains duplicate items`;
    default:
      return `${at} ${e.message ?? "is invalid"}`;
  }
}

function typeWord(t: string): string {
  return ({ array: "a list", object: "a mapping", string: "a string", number: "a number", integer: "an integer", boolean: "a boolean", null: "null" } as Record<string, string>)[t] ?? t;
}
