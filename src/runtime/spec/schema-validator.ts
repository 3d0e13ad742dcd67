/**
 * Validates a generated config.json against the OCI runtime-spec JSON schema
 * (draft-04) kept in ./schema. Used by tests; needs the ajv dev dependencies.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { specDataPath } from "./spec-data.js";

type ValidateFn = ((data: unknown) => boolean) & { errors?: unknown[] | null };

/** Platform sections wharf never emits; the schema references them, so stand-ins let it compile. */
const OTHER_PLATFORMS = ["freebsd", "solaris", "vm", "windows", "zos"];

let validate: ValidateFn | undefined;

function load(): ValidateFn {
  // ajv-draft-04 is CommonJS with a default export; require keeps the interop simple.
  const require = createRequire(import.meta.url);
  const mod = require("ajv-draft-04") as { default: new (opts: object) => AjvLike };
  const ajv = new mod.default({ allErrors: true, strict: false });
  const read = (name: string) => JSON.parse(readFileSync(specDataPath(`schema/${name}`), "utf8")) as object;
  for (const name of ["defs.json", "defs-linux.json", "config-linux.json"]) ajv.addSchema(read(name), name);
  for (const p of OTHER_PLATFORMS) ajv.addSchema({ [p]: { type: "object" } }, `config-${p}.json`);
  return ajv.compile(read("config-schema.json"));
}

interface AjvLike {
  addSchema(schema: object, key: string): unknown;
  compile(schema: object): ValidateFn;
}

/** Returns the schema violations of a spec (empty when valid). */
export function schemaErrors(spec: unknown): string[] {
  validate ??= load();
  if (validate(spec)) return [];
  return (validate.errors ?? []).map((e) => JSON.stringify(e));
}
