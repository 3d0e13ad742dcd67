/**
 * Locates data files that live next to the spec sources (the seccomp profile,
 * the OCI JSON schema). tsc does not copy JSON into dist/, so from compiled
 * code we look in src/runtime/spec/ of the same checkout.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of a data file under src/runtime/spec/ (e.g. "seccomp-default.json", "schema/defs.json"). */
export function specDataPath(relative: string): string {
  const candidates = [
    // Running from src/ (or data copied beside the compiled file).
    new URL(`./${relative}`, import.meta.url),
    // Running from dist/src/runtime/spec/: back up to the checkout root.
    new URL(`../../../../src/runtime/spec/${relative}`, import.meta.url),
  ];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`wharf data file not found: src/runtime/spec/${relative}`);
}
