import { readFileSync, renameSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { CliContext } from "../../context.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import { parseHost } from "../../../client/host.js";
import { ContextStore, validateContextName, type ContextMeta, type DockerEndpoint, type TlsMaterial } from "../../../client/contexts/context-store.js";
import { DEFAULT_CONTEXT, currentContextName, defaultEndpoint } from "../../../client/endpoint.js";

/** What the context commands share: the store with docker's in-memory "default" context on top. */

export function storeOf(ctx: CliContext): ContextStore {
  return new ContextStore(ctx.configDir);
}

export function currentName(ctx: CliContext): string {
  return currentContextName(ctx.connection, process.env, ctx.config.currentContext);
}

/** The default context as docker resolves it from -H, DOCKER_HOST and the TLS flags and env. */
export function defaultContext(ctx: CliContext): { meta: ContextMeta; tls: TlsMaterial } {
  const d = defaultEndpoint(ctx.connection, process.env, ctx.configDir);
  const ep: DockerEndpoint = { Host: d.Host, SkipTLSVerify: d.SkipTLSVerify };
  return { meta: { Name: DEFAULT_CONTEXT, Metadata: {}, Endpoints: { docker: ep } }, tls: Object.keys(d.files).length ? { docker: d.files } : {} };
}

export function getMeta(ctx: CliContext, name: string): ContextMeta {
  return name === DEFAULT_CONTEXT ? defaultContext(ctx).meta : storeOf(ctx).get(name);
}

export function getTls(ctx: CliContext, name: string): TlsMaterial {
  return name === DEFAULT_CONTEXT ? defaultContext(ctx).tls : storeOf(ctx).readTls(name);
}

/** create/import: a valid name nobody uses yet. */
export function checkNameForCreation(ctx: CliContext, name: string): void {
  validateContextName(name);
  if (storeOf(ctx).exists(name)) throw new InvalidArgumentError(`context "${name}" already exists`);
}

/** `--docker k=v,k2=v2` (repeatable, CSV like pflag's StringToString). */
export function parseDockerFlag(values: string[]): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    for (const pair of splitCsv(v)) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      if (eq < 0) throw new InvalidArgumentError(`invalid argument "${v}" for "--docker" flag: ${pair} must be formatted as key=value`);
      out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return out;
}

function splitCsv(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') {
      if (quoted && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === "," && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const KEYS = ["from", "host", "ca", "cert", "key", "skip-tls-verify"];

/** docker's getDockerEndpoint: the endpoint metadata and TLS files a `--docker` map describes. */
export function endpointFromConfig(ctx: CliContext, cfg: Record<string, string>): { ep: DockerEndpoint; tls?: Record<string, Buffer> } {
  const unknown = Object.keys(cfg).filter((k) => !KEYS.includes(k));
  if (unknown.length) throw new InvalidArgumentError(unknown.map((k) => `unrecognized config key: ${k}`).join("\n"));
  if (cfg.from !== undefined) {
    const ep = getMeta(ctx, cfg.from).Endpoints.docker as DockerEndpoint | undefined;
    if (!ep) throw new InvalidArgumentError(`unable to get endpoint from context "${cfg.from}"`);
    return { ep: { ...ep } };
  }
  const files: Record<string, Buffer> = {};
  const read = (key: string, file: string) => {
    if (!cfg[key]) return;
    try {
      files[file] = readFileSync(cfg[key]!);
    } catch (err) {
      throw new InvalidArgumentError(`open ${cfg[key]}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`);
    }
  };
  read("ca", "ca.pem");
  read("cert", "cert.pem");
  read("key", "key.pem");
  let skip = false;
  if (cfg["skip-tls-verify"] !== undefined) {
    const b = parseGoBool(cfg["skip-tls-verify"]);
    if (b === undefined) throw new InvalidArgumentError(`skip-tls-verify: parsing "${cfg["skip-tls-verify"]}": invalid syntax`);
    skip = b;
  }
  if (cfg.host) {
    try {
      parseHost(cfg.host);
    } catch (err) {
      throw new InvalidArgumentError(`invalid docker endpoint options: ${(err as Error).message}`);
    }
  }
  return { ep: { Host: cfg.host || undefined, SkipTLSVerify: skip }, tls: Object.keys(files).length ? files : undefined };
}

function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

/** Set or clear config.json's currentContext, keeping every other key (docker writes tab-indented JSON). */
export function saveCurrentContext(ctx: CliContext, value: string): void {
  const file = path.join(ctx.configDir, "config.json");
  let cfg: Record<string, unknown> = {};
  try {
    cfg = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    /* a missing or unreadable file starts empty, as docker's does */
  }
  const out: Record<string, unknown> = { auths: cfg.auths ?? {}, ...cfg };
  if (value) out.currentContext = value;
  else delete out.currentContext;
  mkdirSync(ctx.configDir, { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, JSON.stringify(out, null, "\t"), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  ctx.config.currentContext = value || undefined;
}

export function dockerHostWarning(ctx: CliContext, use?: string): void {
  if (!process.env.DOCKER_HOST) return;
  const what = use ? `To use "${use}"` : "To use a context";
  ctx.io.stderr.write(`Warning: DOCKER_HOST environment variable overrides the active context. ${what}, either set the global --context flag, or unset DOCKER_HOST environment variable.\n`);
}
