import { WharfError, InvalidArgumentError } from "../../lib/errors.js";
import { startProxy, type RunningProxy } from "../../network/port-proxy.js";
import type { ContainerRecord } from "../containers/types.js";
import type { PortMapping } from "./types.js";

/** Docker's ephemeral host-port range for `-p 80` and `-P`. */
const EPHEMERAL = { first: 32768, last: 60999 };
let cursor = EPHEMERAL.first + Math.floor(Math.random() * 1000);

export interface PublishOptions {
  containerIp: string;
  /** Forward through the proxy (userland proxy on, or no iptables); otherwise the proxy only holds the port. */
  forward: boolean;
  /** Bind IPv6 too when the host address is unspecified. */
  ipv6: boolean;
  /** For Docker's error text. */
  endpointName: string;
  endpointId: string;
}

interface Wanted {
  proto: "tcp" | "udp";
  containerPort: number;
  hostIps: string[];
  range?: [number, number];
}

/** The bindings a container asks for: PortBindings, plus every exposed port with -P. */
export function wantedBindings(c: ContainerRecord, ipv6: boolean): Wanted[] {
  const hc = c.hostConfig;
  const bindings: Record<string, { HostIp?: string; HostPort?: string }[]> = { ...(hc.PortBindings ?? {}) };
  if (hc.PublishAllPorts) for (const k of Object.keys(c.config.ExposedPorts ?? {})) bindings[k] ??= [{ HostIp: "", HostPort: "" }];
  const out: Wanted[] = [];
  for (const [key, list] of Object.entries(bindings)) {
    const [portStr, protoRaw] = key.split("/");
    const proto = (protoRaw || "tcp").toLowerCase();
    if (proto !== "tcp" && proto !== "udp") throw new InvalidArgumentError(`invalid proto: ${proto}`);
    const containerPort = Number(portStr);
    if (!Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) throw new InvalidArgumentError(`invalid containerPort: ${portStr}`);
    for (const b of list ?? [{}]) {
      const ip = (b.HostIp ?? "").replace(/^\[|\]$/g, "");
      const hostIps = ip ? [ip] : ipv6 ? ["0.0.0.0", "::"] : ["0.0.0.0"];
      const hp = b.HostPort ?? "";
      let range: [number, number] | undefined;
      if (hp && hp !== "0") {
        const [a, z] = hp.split("-").map(Number);
        if (!Number.isInteger(a) || a < 1 || a > 65535 || (z !== undefined && (!Number.isInteger(z) || z < a || z > 65535))) throw new InvalidArgumentError(`invalid hostPort: ${hp}`);
        range = [a, z ?? a];
      }
      out.push({ proto, containerPort, hostIps, range });
    }
  }
  return out;
}

/**
 * Bind every wanted port (proxies or port holders) and return the mappings.
 * A random port is the same for its IPv4 and IPv6 bindings, as in Docker. On
 * any failure everything bound so far is closed and Docker's error thrown.
 */
export async function publishPorts(wanted: Wanted[], o: PublishOptions): Promise<{ mappings: PortMapping[]; proxies: RunningProxy[] }> {
  const mappings: PortMapping[] = [];
  const proxies: RunningProxy[] = [];
  try {
    for (const w of wanted) {
      const ips = o.forward ? w.hostIps : w.hostIps.filter((ip) => !ip.includes(":"));
      const candidates = w.range ? rangeOf(w.range) : ephemeral();
      let lastErr: Error | undefined;
      let bound = false;
      for (const port of candidates) {
        const got: RunningProxy[] = [];
        try {
          for (const hostIp of ips) got.push(await startProxy({ proto: w.proto, hostIp, hostPort: port, containerIp: o.containerIp, containerPort: w.containerPort, forward: o.forward }));
        } catch (err) {
          lastErr = err as Error;
          for (const p of got) await p.close();
          continue;
        }
        proxies.push(...got);
        for (const hostIp of ips) mappings.push({ proto: w.proto, containerPort: w.containerPort, hostIp, hostPort: port });
        bound = true;
        break;
      }
      if (!bound) {
        const hostIp = ips[0];
        const port = w.range && w.range[0] === w.range[1] ? String(w.range[0]) : w.range ? `${w.range[0]}-${w.range[1]}` : "0";
        const why = /address already in use/.test(String(lastErr?.message)) ? "address already in use" : String(lastErr?.message ?? "no free port");
        throw new WharfError(
          `driver failed programming external connectivity on endpoint ${o.endpointName} (${o.endpointId}): failed to bind host port for ${hostIp.includes(":") ? `[${hostIp}]` : hostIp}:${port}:${o.containerIp}:${w.containerPort}/${w.proto}: ${why}`,
        );
      }
    }
  } catch (err) {
    for (const p of proxies) await p.close();
    throw err;
  }
  return { mappings, proxies };
}

function* rangeOf([a, z]: [number, number]): Generator<number> {
  for (let p = a; p <= z; p++) yield p;
}

/** Sequential from a moving cursor (Docker's allocator), bounded to one pass over the range. */
function* ephemeral(): Generator<number> {
  const span = EPHEMERAL.last - EPHEMERAL.first + 1;
  for (let i = 0; i < Math.min(span, 2000); i++) {
    const p = cursor;
    cursor = cursor >= EPHEMERAL.last ? EPHEMERAL.first : cursor + 1;
    yield p;
  }
}

/** Re-open the proxies of recorded mappings after a daemon restart (same host ports). */
export async function reopenProxies(mappings: PortMapping[], containerIp: string, forward: boolean): Promise<RunningProxy[]> {
  const out: RunningProxy[] = [];
  for (const m of mappings) {
    if (!forward && m.hostIp.includes(":")) continue;
    out.push(await startProxy({ proto: m.proto, hostIp: m.hostIp, hostPort: m.hostPort, containerIp, containerPort: m.containerPort, forward }));
  }
  return out;
}
