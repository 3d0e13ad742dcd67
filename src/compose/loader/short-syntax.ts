import path from "node:path";
import os from "node:os";
import type { PortConfig, VolumeMount } from "../model.js";

/**
 * Compose's short syntaxes expanded to the long form: ports
 * (`[[ip:][host[-range]]:]container[-range][/proto]`) and volumes
 * (`[source:]target[:mode]`). Throw plain Errors; the caller adds where.
 */
export function parsePortShort(spec: string | number): PortConfig[] {
  if (typeof spec === "number") return [{ target: spec, protocol: "tcp", mode: "ingress" }];
  let s = spec.trim();
  let protocol: PortConfig["protocol"] = "tcp";
  const slash = s.lastIndexOf("/");
  if (slash >= 0) {
    const p = s.slice(slash + 1).toLowerCase();
    if (p !== "tcp" && p !== "udp" && p !== "sctp") throw new Error(`invalid proto: ${p}`);
    protocol = p;
    s = s.slice(0, slash);
  }
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(s);
  if (v6) {
    hostIp = v6[1];
    s = v6[2];
  }
  const parts = s.split(":");
  if (!hostIp && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2) throw new Error(`invalid port specification: "${spec}"`);
  const container = parts.pop() as string;
  const host = parts.length ? parts[0] : undefined;
  const targets = range(container, spec);
  const published = host ? range(host, spec) : undefined;
  if (published && targets.length > 1 && published.length !== targets.length && published.length !== 1) throw new Error(`invalid ranges specified for container and host ports: "${spec}"`);
  const publishedOf = (i: number): string | undefined => {
    if (!published || !host) return undefined;
    // a host range for one container port leaves the choice to the engine
    if (targets.length === 1) return host;
    return String(published.length === 1 ? published[0] : published[i]);
  };
  return targets.map((target, i) => {
    const p: PortConfig = { target, protocol, mode: "ingress" };
    const pub = publishedOf(i);
    if (pub !== undefined) p.published = pub;
    if (hostIp) p.host_ip = hostIp;
    return p;
  });
}

function range(text: string, spec: string | number): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new Error(`invalid port specification: "${spec}"`);
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  if (a < 0 || b > 65535 || b < a) throw new Error(`invalid port specification: "${spec}"`);
  const out: number[] = [];
  for (let p = a; p <= b; p++) out.push(p);
  return out;
}

const PROPAGATION = new Set(["shared", "rshared", "slave", "rslave", "private", "rprivate"]);

/** `base` resolves relative bind sources (the directory of the file that declared them). */
export function parseVolumeShort(spec: string, base: string): VolumeMount {
  const parts = spec.split(":");
  if (parts.length === 1) return { type: "volume", target: parts[0] };
  if (parts.length > 3) throw new Error(`invalid spec: ${spec}: too many colons`);
  const [source, target, mode = ""] = parts;
  if (!target) throw new Error(`invalid spec: ${spec}: empty container path`);
  const opts = mode ? mode.split(",") : [];
  const isBind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
  const mount: VolumeMount = isBind
    ? { type: "bind", source: resolveHostPath(source, base), target, bind: { create_host_path: true } }
    : { type: "volume", source, target, volume: {} };
  for (const o of opts) {
    if (o === "ro") mount.read_only = true;
    else if (o === "rw") mount.read_only = false;
    else if (o === "z" || o === "Z") mount.bind = { ...mount.bind, selinux: o };
    else if (o === "nocopy") mount.volume = { ...mount.volume, nocopy: true };
    else if (PROPAGATION.has(o)) mount.bind = { ...mount.bind, propagation: o };
    else if (o === "cached" || o === "delegated" || o === "consistent") mount.consistency = o;
    else throw new Error(`invalid spec: ${spec}: unknown mode ${o}`);
  }
  if (mount.volume && Object.keys(mount.volume).length === 0) delete mount.volume;
  return mount;
}

export function resolveHostPath(p: string, base: string): string {
  if (p === "~" || p.startsWith("~/")) return path.join(os.homedir(), p.slice(1));
  return path.resolve(base, p);
}
