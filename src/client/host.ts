/**
 * Where the Engine API lives: `unix:///path.sock` or `tcp://host:port`
 * (DOCKER_HOST / -H syntax). The default is wharf's own socket.
 */
export const DEFAULT_HOST = "unix:///var/run/wharf.sock";

export type EngineHost =
  | { kind: "unix"; socketPath: string; raw: string }
  | { kind: "tcp"; hostname: string; port: number; raw: string };

export function parseHost(raw: string): EngineHost {
  const value = raw.trim();
  if (value.startsWith("unix://")) {
    const socketPath = value.slice("unix://".length);
    if (!socketPath) throw new Error(`invalid host: ${raw}`);
    return { kind: "unix", socketPath, raw: value };
  }
  if (value.startsWith("/")) return { kind: "unix", socketPath: value, raw: `unix://${value}` };
  // docker accepts tcp://, http:// and a bare host:port as TCP
  const rest = value.replace(/^(tcp|http):\/\//, "");
  if (/^[a-z]+:\/\//i.test(rest)) throw new Error(`invalid bind address format: ${raw}`);
  const m = /^(\[[^\]]+\]|[^:/]*)(?::(\d+))?\/?$/.exec(rest);
  if (!m) throw new Error(`invalid bind address format: ${raw}`);
  const hostname = (m[1] || "127.0.0.1").replace(/^\[|\]$/g, "");
  const port = m[2] ? Number(m[2]) : 2375;
  return { kind: "tcp", hostname, port, raw: `tcp://${m[1] || "127.0.0.1"}:${port}` };
}
