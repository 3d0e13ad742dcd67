/**
 * The Engine API swagger as JSON schema (generated into engine-api.json by
 * scripts/gen-engine-api.mjs) and ajv over it. The edge validates request
 * bodies with it (body-validator.ts); tests validate every response.
 */
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface OperationSchema {
  method: string;
  path: string;
  body?: SchemaNode;
  consumes?: string[];
  produces?: string[];
  responses: Record<string, SchemaNode>;
}

export type SchemaNode = { [k: string]: unknown };

export interface EngineSchema {
  apiVersion: string;
  definitions: Record<string, SchemaNode>;
  operations: Record<string, OperationSchema>;
}

let loaded: EngineSchema | undefined;

/** engine-api.json lives beside this file in src/; compiled code finds it back in the checkout. */
export function engineSchema(): EngineSchema {
  if (loaded) return loaded;
  const candidates = [new URL("./engine-api.json", import.meta.url), new URL("../../../../src/api/schema/engine-api.json", import.meta.url)];
  const file = candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
  if (!file) throw new Error("wharf data file not found: src/api/schema/engine-api.json");
  loaded = JSON.parse(readFileSync(file, "utf8")) as EngineSchema;
  return loaded;
}

export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
  parentSchema?: SchemaNode;
}
export type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
interface AjvLike {
  compile(schema: object): Validate;
}

/** One ajv instance for everything: swagger keywords it does not know (format int64, x-*) are ignored. */
export function newAjv(): AjvLike {
  // ajv is CommonJS with a default export; require keeps the interop simple.
  const require = createRequire(import.meta.url);
  const mod = require("ajv") as { default: new (opts: object) => AjvLike };
  return new mod.default({ allErrors: false, strict: false, validateFormats: false, verbose: true });
}
