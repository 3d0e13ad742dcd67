import { InvalidArgumentError } from "../../lib/errors.js";

/**
 * Legacy container links (`--link name:alias`): on the default bridge the
 * parent gets environment variables and /etc/hosts entries for each child;
 * on a user-defined network the alias is a name only the parent resolves.
 * Docker keeps them in HostConfig.Links as "/child:/parent/alias".
 */
export interface Link {
  /** The linked (child) container's name or ID, as given. */
  child: string;
  alias: string;
}

/** "child", "child:alias" or Docker's stored "/child:/parent/alias". */
export function parseLink(spec: string): Link {
  const i = spec.indexOf(":");
  const child = (i < 0 ? spec : spec.slice(0, i)).replace(/^\//, "");
  let alias = i < 0 ? child : spec.slice(i + 1);
  alias = alias.slice(alias.lastIndexOf("/") + 1);
  if (!child || !alias) throw new InvalidArgumentError(`invalid link: ${JSON.stringify(spec)}: use name:alias`);
  return { child, alias };
}

export function parseLinks(specs: readonly string[] | null | undefined): Link[] {
  return (specs ?? []).map(parseLink);
}

/** The stored form, as dockerd's inspect shows it. */
export function formatLink(childName: string, parentName: string, alias: string): string {
  return `/${childName.replace(/^\//, "")}:/${parentName.replace(/^\//, "")}/${alias}`;
}

interface Port {
  num: number;
  proto: string;
}

/** TCP first, then by protocol name; by number within a protocol. */
function byTcpThenNumber(a: Port, b: Port): number {
  if (a.proto !== b.proto) {
    if (a.proto === "tcp") return -1;
    if (b.proto === "tcp") return 1;
    return a.proto < b.proto ? -1 : 1;
  }
  return a.num - b.num;
}

/**
 * The variables a link gives its parent: ALIAS_NAME, ALIAS_PORT (the first
 * port), ALIAS_PORT_<n>_<PROTO>{,_ADDR,_PORT,_PROTO} for every exposed port,
 * _START/_END pairs for consecutive runs, and ALIAS_ENV_<K> for the child's
 * environment (but HOME and PATH), in dockerd's order.
 */
export function linkEnv(linkName: string, childIp: string, childEnv: readonly string[], exposedPorts: readonly string[]): string[] {
  const alias = linkName.slice(linkName.lastIndexOf("/") + 1).toUpperCase().replace(/-/g, "_");
  const ports: Port[] = exposedPorts.map((p) => {
    const [n, proto = "tcp"] = p.split("/");
    return { num: Number(n), proto: proto.toLowerCase() };
  });
  ports.sort(byTcpThenNumber);
  const env: string[] = [];
  const url = (p: Port) => `${p.proto}://${childIp}:${p.num}`;
  let start: Port | undefined;
  let end: Port | undefined;
  ports.forEach((p, i) => {
    if (i === 0) {
      start = end = p;
      env.push(`${alias}_PORT=${url(p)}`);
    }
    const prefix = `${alias}_PORT_${p.num}_${p.proto.toUpperCase()}`;
    env.push(`${prefix}=${url(p)}`, `${prefix}_ADDR=${childIp}`, `${prefix}_PORT=${p.num}`, `${prefix}_PROTO=${p.proto}`);
    if (end && p.num === end.num + 1 && p.proto === end.proto) {
      end = p;
      if (i < ports.length - 1) return;
    }
    if (start && end && (start.num !== end.num || start.proto !== end.proto)) {
      const rp = `${alias}_PORT_${start.num}_${start.proto.toUpperCase()}`;
      env.push(`${rp}_START=${url(start)}`, `${rp}_PORT_START=${start.num}`, `${rp}_END=${url(end)}`, `${rp}_PORT_END=${end.num}`);
    }
    start = end = p;
  });
  env.push(`${alias}_NAME=${linkName}`);
  for (const e of childEnv) {
    const eq = e.indexOf("=");
    if (eq < 0) continue;
    const key = e.slice(0, eq);
    if (key === "HOME" || key === "PATH") continue;
    env.push(`${alias}_ENV_${key}=${e.slice(eq + 1)}`);
  }
  return env;
}
