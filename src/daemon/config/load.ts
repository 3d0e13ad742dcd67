// Reads dockerd-style flags and daemon.json through the key table, with
// dockerd's rules: unknown file keys and keys given both ways are errors.
import { promises as fs } from "node:fs";
import { InvalidArgumentError } from "../../lib/errors.js";
import { defaultConfig, DEFAULT_CONFIG_FILE, type DaemonConfig } from "../config.js";
import type { ConfigKey } from "./key.js";
import { CONFIG_CHECKS, CONFIG_KEYS } from "./keys.js";

/** What the command line said: values by daemon.json key name, plus the flags about the config itself. */
export interface ParsedFlags {
  values: Map<string, unknown>;
  configFile?: string;
  validate: boolean;
}

const byFlag = new Map<string, ConfigKey>();
const byName = new Map<string, ConfigKey>();
for (const k of CONFIG_KEYS) {
  if (byName.has(k.name)) throw new Error(`daemon config key ${k.name} is declared twice`);
  byName.set(k.name, k);
  for (const f of k.flags ?? []) byFlag.set(f, k);
}

export function parseDaemonFlags(args: string[]): ParsedFlags {
  const out: ParsedFlags = { values: new Map(), validate: false };
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("-") && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (arg === "--validate") {
      out.validate = true;
      continue;
    }
    if (arg === "--config-file") {
      if (value === undefined && i + 1 >= args.length) throw new InvalidArgumentError(`flag needs an argument: ${arg}`);
      out.configFile = value ?? args[++i];
      continue;
    }
    const key = byFlag.get(arg);
    if (!key) throw new InvalidArgumentError(`unknown flag: ${arg}\nSee 'wharf daemon --help'.`);
    if (!key.kind.takesArg) {
      if (value === undefined && (args[i + 1] === "true" || args[i + 1] === "false")) value = args[++i];
    } else if (value === undefined) {
      if (i + 1 >= args.length) throw new InvalidArgumentError(`flag needs an argument: ${arg}`);
      value = args[++i];
    }
    out.values.set(key.name, key.kind.fromFlag(value, out.values.get(key.name), arg));
  }
  return out;
}

/** daemon.json as values by key name; {} when the default file is absent. */
export async function readConfigFile(file: string, explicit: boolean): Promise<Map<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && !explicit) return new Map();
    throw new InvalidArgumentError(`unable to configure the daemon with file ${file}: ${(err as Error).message}`);
  }
  const fail = (msg: string) => new InvalidArgumentError(`unable to configure the daemon with file ${file}: ${msg}`);
  text = text.replace(/^\uFEFF/, "").trim();
  if (!text) return new Map();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw fail(`invalid JSON: ${(err as Error).message}`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw fail("invalid JSON: the file must hold one object");
  const unknown = Object.keys(raw).filter((k) => !byName.has(k));
  if (unknown.length) throw fail(`the following directives don't match any configuration option: ${unknown.join(", ")}`);
  const out = new Map<string, unknown>();
  try {
    for (const [k, v] of Object.entries(raw)) out.set(k, byName.get(k)!.kind.fromFile(v, k));
  } catch (err) {
    throw fail((err as Error).message);
  }
  return out;
}

function assign(cfg: object, field: string, value: unknown): void {
  const parts = field.split(".");
  let target = cfg as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) target = (target[p] ??= {}) as Record<string, unknown>;
  target[parts[parts.length - 1]] = value;
}

export function readField(cfg: object, field: string): unknown {
  let v: unknown = cfg;
  for (const p of field.split(".")) v = (v as Record<string, unknown> | undefined)?.[p];
  return v;
}

/** The value a key takes from the flags and the file (conflicts already excluded). */
function merged(key: ConfigKey, flags: Map<string, unknown>, file: Map<string, unknown>): unknown {
  const f = flags.get(key.name);
  const j = file.get(key.name);
  if (key.mergeable && f !== undefined && j !== undefined) return { ...(j as object), ...(f as object) };
  return f !== undefined ? f : j;
}

export interface LoadedConfig {
  config: DaemonConfig;
  flags: ParsedFlags;
  file: string;
  /** One line per accepted-but-ignored dockerd key. */
  warnings: string[];
}

/** Flags → daemon.json → defaults, validated; throws InvalidArgumentError with dockerd's messages. */
export async function loadDaemonConfig(args: string[]): Promise<LoadedConfig> {
  const flags = parseDaemonFlags(args);
  const file = flags.configFile ?? DEFAULT_CONFIG_FILE;
  const fromFile = await readConfigFile(file, flags.configFile !== undefined);
  const conflicts: string[] = [];
  for (const [name, v] of flags.values) {
    const key = byName.get(name)!;
    if (fromFile.has(name) && !key.mergeable) conflicts.push(`${name}: (from flag: ${key.kind.show(v)}, from file: ${key.kind.show(fromFile.get(name))})`);
  }
  if (conflicts.length) {
    throw new InvalidArgumentError(`unable to configure the daemon with file ${file}: the following directives are specified both as a flag and in the configuration file: ${conflicts.join(", ")}`);
  }
  const { config, warnings } = build(flags.values, fromFile);
  config.configFile = flags.configFile;
  return { config, flags, file, warnings };
}

/** A complete config from flag and file values; runs every validator and cross-check. */
export function build(flags: Map<string, unknown>, file: Map<string, unknown>): { config: DaemonConfig; warnings: string[] } {
  const config = defaultConfig();
  const warnings: string[] = [];
  for (const key of CONFIG_KEYS) {
    const v = merged(key, flags, file);
    if (v === undefined) continue;
    if (key.ignored) {
      warnings.push(`${key.name} is accepted for compatibility with dockerd and ignored: ${key.ignored}`);
      continue;
    }
    key.validate?.(v);
    if (key.field) assign(config, key.field, v);
  }
  for (const check of CONFIG_CHECKS) check(config);
  return { config, warnings };
}
