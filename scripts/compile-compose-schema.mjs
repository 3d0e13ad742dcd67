#!/usr/bin/env node
// Compiles src/compose/schema/compose-spec.json into a standalone validator
// (dist/src/compose/schema/compose-validator.cjs). Compiling the schema at
// run time costs seconds of CPU on every `wharf compose` call; ajv's
// standalone code validates the same way without that.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const require = createRequire(import.meta.url);
const Ajv = require("ajv").default;
const standalone = require("ajv/dist/standalone").default;
const schema = JSON.parse(readFileSync(join(root, "src/compose/schema/compose-spec.json"), "utf8"));
delete schema.$schema;
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { source: true } });
const code = standalone(ajv, ajv.compile(schema));
const out = join(root, "dist/src/compose/schema");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "compose-validator.cjs"), code);
