import { createRequire } from "node:module";

/**
 * Node built-ins loaded on first use instead of at import: a static `import tls from "node:tls"`
 * costs every CLI start the compile of tls, crypto and their ~25 internal modules even when the
 * command talks to a unix socket. Use with `import type` for the types.
 */
const load = createRequire(import.meta.url);

export function lazyBuiltin<T>(name: `node:${string}`): () => T {
  let mod: T | undefined;
  return () => (mod ??= load(name) as T);
}
