/**
 * Where the Engine API lives: `unix:///path.sock`, `tcp://host:port` or
 * `ssh://[user@]host[:port][/socket]` (DOCKER_HOST / -H syntax). The default
 * is wharf's own socket.
 */
export const DEFAULT_HOST = "unix:///var/run/wharf.sock";

export type EngineHost =
  | { kind: "unix"; socketPath: string; raw: string }
  | { kind: "tcp"; hostname: string; port: number; raw: string }
  | SshHost
  | InProcessHost;

/** An engine in the caller's own process (the daemon's dashboard): each connection is an in-memory stream. */
export interface InProcessHost {
  kind: "in-process";
  connect(): import("node:stream").Duplex;
  raw: string;
}

/** ssh://: the client runs `ssh … wharf system dial-stdio` and speaks HTTP over its stdio. */
export interface SshHost {
  kind: "ssh";
  user?: string;
  hostname: string;
  port?: string;
  /** A remote socket path (`ssh://host/run/x.sock`), passed as `--host unix://PATH`. */
  path?: string;
  raw: string;
}

export function parseHost(raw: string): EngineHost {
  const value = raw.trim();
  if (value.startsWith("unix://")) {
    const socketPath = value.slice("unix://".length);
    if (!socketPath) throw new Error(`invalid host: ${raw}`);
    return { kind: "unix", socketPath, raw: value };
  }
  if (value.startsWith("/")) return { kind: "unix", socketPath: value, raw: `unix://${value}` };
  if (value.startsWith("ssh://")) return parseSsh(value);
  // docker accepts tcp://, http:// and a bare host:port as TCP
  const rest = value.replace(/^(tcp|http|https):\/\//, "");
  if (/^[a-z]+:\/\//i.test(rest)) throw new Error(`invalid bind address format: ${raw}`);
  const m = /^(\[[^\]]+\]|[^:/]*)(?::(\d+))?\/?$/.exec(rest);
  if (!m) throw new Error(`invalid bind address format: ${raw}`);
  const hostname = (m[1] || "127.0.0.1").replace(/^\[|\]$/g, "");
  const port = m[2] ? Number(m[2]) : 2375;
  return { kind: "tcp", hostname, port, raw: `tcp://${m[1] || "127.0.0.1"}:${port}` };
}

/** docker's connhelper/ssh rules: no password, no query, no fragment, a host is required. */
function parseSsh(value: string): SshHost {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`ssh host connection is not valid: invalid SSH URL: ${value}`);
  }
  const bad = (why: string) => new Error(`ssh host connection is not valid: invalid SSH URL: ${why}`);
  if (u.password) throw bad("plain-text password is not supported");
  if (u.search) throw bad(`query parameters are not allowed: "${u.search.slice(1)}"`);
  if (u.hash) throw bad(`fragments are not allowed: "${u.hash.slice(1)}"`);
  const hostname = u.hostname.replace(/^\[|\]$/g, "");
  if (!hostname) throw bad("hostname is empty");
  return {
    kind: "ssh",
    user: u.username ? decodeURIComponent(u.username) : undefined,
    hostname,
    port: u.port || undefined,
    path: u.pathname && u.pathname !== "/" ? decodeURIComponent(u.pathname) : undefined,
    raw: value,
  };
}
