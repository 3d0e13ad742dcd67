import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { InvalidArgumentError } from "../lib/errors.js";
import type { ClientTls } from "./dial.js";
import { DEFAULT_HOST, parseHost, type EngineHost } from "./host.js";
import { ContextStore, dockerEndpointOf } from "./contexts/context-store.js";

/**
 * Which engine a command talks to, as the docker CLI decides it: `--context`,
 * else `-H`/DOCKER_HOST (the "default" context), else DOCKER_CONTEXT, else
 * config.json's currentContext, else the default context. The default
 * context's TLS comes from --tls/--tlsverify/--tlscacert/… and DOCKER_TLS,
 * DOCKER_TLS_VERIFY, DOCKER_CERT_PATH; a stored context carries its own.
 */
export interface ConnectionFlags {
  host?: string;
  context?: string;
  tls?: boolean;
  /** undefined: not given on the command line. */
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
}

export interface Endpoint {
  contextName: string;
  /** The host as given or stored (DOCKER ENDPOINT column). */
  hostRaw: string;
  host: EngineHost;
  tls?: ClientTls;
  /** Said by the user (flag, env or a context), so no auto-start of a local daemon. */
  explicit: boolean;
}

export const DEFAULT_CONTEXT = "default";

export function currentContextName(flags: ConnectionFlags, env: NodeJS.ProcessEnv, currentContext: unknown): string {
  if (flags.context) return flags.context;
  if (flags.host) return DEFAULT_CONTEXT;
  if (env.DOCKER_HOST) return DEFAULT_CONTEXT;
  if (env.DOCKER_CONTEXT) return env.DOCKER_CONTEXT;
  if (typeof currentContext === "string" && currentContext) return currentContext;
  return DEFAULT_CONTEXT;
}

/** docker's opts.ParseHost for the client: tcp gets localhost/2375 defaults, unix:// the default socket. */
export function normalizeClientHost(raw: string | undefined, defaultToTls: boolean): string {
  const value = (raw ?? "").trim();
  if (!value) return defaultToTls ? "tcp://localhost:2376" : DEFAULT_HOST;
  const sep = value.indexOf("://");
  const proto = sep < 0 ? "tcp" : value.slice(0, sep);
  const addr = sep < 0 ? value : value.slice(sep + 3);
  if (proto === "unix") return `unix://${addr || DEFAULT_HOST.slice("unix://".length)}`;
  if (proto === "ssh") return value;
  if (proto !== "tcp") throw new InvalidArgumentError(`invalid bind address format: ${value}`);
  if (!addr) return "tcp://localhost:2375";
  const m = /^(\[[^\]]*\]|[^:/]*)(?::(\d*))?\/?$/.exec(addr);
  if (!m) throw new InvalidArgumentError(`invalid bind address format: ${value}`);
  return `tcp://${m[1] || "localhost"}:${m[2] || "2375"}`;
}

export interface DefaultEndpoint {
  Host: string;
  SkipTLSVerify: boolean;
  /** ca.pem / cert.pem / key.pem contents, when TLS is on. */
  files: Record<string, Buffer>;
}

/** The "default" context: DOCKER_HOST or -H, TLS from flags and env. */
export function defaultEndpoint(flags: ConnectionFlags, env: NodeJS.ProcessEnv, configDir: string): DefaultEndpoint {
  const verify = flags.tlsverify ?? !!env.DOCKER_TLS_VERIFY;
  const useTls = flags.tlsverify !== undefined || verify || (flags.tls ?? !!env.DOCKER_TLS);
  const Host = normalizeClientHost(flags.host ?? env.DOCKER_HOST, useTls);
  const files: Record<string, Buffer> = {};
  if (useTls) {
    const certDir = env.DOCKER_CERT_PATH || configDir;
    const read = (file: string) => {
      try {
        return readFileSync(file);
      } catch (err) {
        throw new InvalidArgumentError(`open ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`);
      }
    };
    files["ca.pem"] = read(flags.tlscacert || path.join(certDir, "ca.pem"));
    // like docker: default cert/key files that do not exist mean "no client certificate"
    const cert = flags.tlscert || path.join(certDir, "cert.pem");
    const key = flags.tlskey || path.join(certDir, "key.pem");
    if (flags.tlscert || existsSync(cert)) files["cert.pem"] = read(cert);
    if (flags.tlskey || existsSync(key)) files["key.pem"] = read(key);
  }
  return { Host, SkipTLSVerify: useTls && !verify, files };
}

function clientTlsOf(files: Record<string, Buffer> | undefined, skipVerify: boolean): ClientTls | undefined {
  const has = files && Object.keys(files).length > 0;
  if (!has && !skipVerify) return undefined;
  return { ca: files?.["ca.pem"], cert: files?.["cert.pem"] && files?.["key.pem"] ? files["cert.pem"] : undefined, key: files?.["cert.pem"] && files?.["key.pem"] ? files["key.pem"] : undefined, skipVerify };
}

export function resolveEndpoint(flags: ConnectionFlags, env: NodeJS.ProcessEnv, configDir: string, currentContext: unknown): Endpoint {
  if (flags.context && flags.host) throw new InvalidArgumentError("conflicting options: cannot specify both --host and --context");
  const contextName = currentContextName(flags, env, currentContext);
  const wrap = (err: unknown) => new InvalidArgumentError(`unable to resolve docker endpoint: ${(err as Error).message}`);
  if (contextName === DEFAULT_CONTEXT) {
    let d: DefaultEndpoint;
    try {
      d = defaultEndpoint(flags, env, configDir);
    } catch (err) {
      throw wrap(err);
    }
    const explicit = !!(flags.host ?? env.DOCKER_HOST);
    return { contextName, hostRaw: d.Host, host: parseHost(d.Host), tls: clientTlsOf(d.files, d.SkipTLSVerify), explicit };
  }
  const store = new ContextStore(configDir);
  try {
    const meta = store.get(contextName);
    const ep = dockerEndpointOf(meta);
    if (!ep) throw new Error("cannot find docker endpoint in context");
    const hostRaw = ep.Host ?? "";
    const tls = store.readTls(contextName).docker;
    return { contextName, hostRaw, host: parseHost(hostRaw || DEFAULT_HOST), tls: clientTlsOf(tls, ep.SkipTLSVerify), explicit: true };
  } catch (err) {
    throw wrap(err);
  }
}
