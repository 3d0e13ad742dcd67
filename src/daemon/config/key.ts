import type { ValueKind } from "./kinds.js";

/**
 * One daemon setting, declared once: its daemon.json name, its flags, how its
 * value is read, where it lands in DaemonConfig, and whether SIGHUP reloads it.
 *
 * To add settings, write a table (`ConfigKey[]`) in your module and list it in
 * `keys.ts`. The loader then gives you, for free: flag parsing, daemon.json
 * reading with type checks, the unknown-key and flag-vs-file conflict errors,
 * `--validate`, and (with `reload: true`) SIGHUP reloading with the change logged.
 */
export interface ConfigKey<T = any> {
  /** dockerd's daemon.json name, e.g. "log-driver". */
  name: string;
  /** Command-line spellings, e.g. ["--log-driver"] or ["-D", "--debug"]; none for file-only keys. */
  flags?: string[];
  kind: ValueKind<T>;
  /** Dotted path in DaemonConfig, e.g. "logDriver" or "tls.cert". Omitted for `ignored` keys. */
  field?: string;
  /** Re-read from daemon.json on SIGHUP (dockerd's reloadable keys). */
  reload?: boolean;
  /** Throws InvalidArgumentError (dockerd's message) for a bad value. */
  validate?(value: T): void;
  /** A dockerd key wharf accepts for compatibility but does not act on: a warning is logged. */
  ignored?: string;
  /** Merged key by key when given both as a flag and in the file (dockerd: runtimes). */
  mergeable?: boolean;
}

/** Settings that check each other once the whole config is known (e.g. log-opts against log-driver). */
export type ConfigCheck = (cfg: import("../config.js").DaemonConfig) => void;
