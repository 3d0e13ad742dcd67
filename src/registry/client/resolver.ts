import net from "node:net";
import { httpRequest } from "./http.js";

/** How the daemon reaches registries: dockerd's --insecure-registry and --registry-mirror. */
export interface RegistryOptions {
  insecureRegistries: string[];
  registryMirrors: string[];
  /** Layers a pull downloads at once (dockerd's max-concurrent-downloads; 3 when unset). */
  maxConcurrentDownloads?: number;
  /** Attempts per layer download (dockerd's max-download-attempts; 5 when unset). */
  maxDownloadAttempts?: number;
  /** Seconds without a byte from the registry before a transfer attempt is given up (30 when unset). */
  registryStallTimeout?: number;
}

export interface Endpoint {
  /** Base URL, e.g. https://registry-1.docker.io or http://127.0.0.1:5000 */
  base: URL;
  /** TLS verification off (insecure registry over https). */
  insecure: boolean;
  /** A mirror: used for pulls of docker.io only. */
  mirror?: boolean;
}

const DOCKER_HUB = "docker.io";

/**
 * Where to send requests for a registry domain, best first. Like dockerd:
 * docker.io goes to its mirrors then registry-1.docker.io; loopback hosts
 * (127.0.0.0/8, ::1, localhost) and --insecure-registry entries (host[:port]
 * or CIDR) are tried over https without verification and then plain http.
 */
export function endpointsFor(domain: string, opts: RegistryOptions, forPush = false): Endpoint[] {
  if (domain === DOCKER_HUB || domain === "index.docker.io" || domain === "registry-1.docker.io") {
    const mirrors = forPush ? [] : opts.registryMirrors.map((m) => ({ base: new URL(m.endsWith("/") ? m.slice(0, -1) : m), insecure: false, mirror: true }));
    return [...mirrors, { base: new URL("https://registry-1.docker.io"), insecure: false }];
  }
  if (isInsecure(domain, opts.insecureRegistries)) {
    return [{ base: new URL(`https://${domain}`), insecure: true }, { base: new URL(`http://${domain}`), insecure: true }];
  }
  return [{ base: new URL(`https://${domain}`), insecure: false }];
}

export function isInsecure(domain: string, insecure: string[]): boolean {
  const host = hostOf(domain);
  if (host === "localhost" || isLoopback(host)) return true;
  for (const entry of insecure) {
    if (entry === domain || entry === host) return true;
    if (entry.includes("/") && net.isIP(host)) {
      const [net0, bits] = entry.split("/");
      if (net.isIPv4(host) && net.isIPv4(net0) && inCidr4(host, net0, Number(bits))) return true;
    }
  }
  return false;
}

function hostOf(domain: string): string {
  if (domain.startsWith("[")) return domain.slice(1, domain.indexOf("]"));
  const i = domain.lastIndexOf(":");
  return i > 0 && !domain.slice(0, i).includes(":") ? domain.slice(0, i) : domain;
}

function isLoopback(host: string): boolean {
  return host === "::1" || (net.isIPv4(host) && host.startsWith("127."));
}

function inCidr4(ip: string, base: string, bits: number): boolean {
  const n = (s: string) => s.split(".").reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (n(ip) & mask) === (n(base) & mask);
}

const probed = new Map<string, Promise<Endpoint>>();

/**
 * The first endpoint that answers `/v2/` at all (any HTTP status counts:
 * 401 is normal). Cached per base list for the daemon's lifetime; a failed
 * probe is not cached. Throws the last endpoint's network error.
 */
export function pickEndpoint(endpoints: Endpoint[]): Promise<Endpoint> {
  const key = endpoints.map((e) => e.base.href).join(" ");
  let p = probed.get(key);
  if (!p) {
    p = (async () => {
      let last: unknown;
      for (const e of endpoints) {
        try {
          const res = await httpRequest({ method: "GET", url: new URL("/v2/", e.base), verifyTls: !e.insecure });
          res.resume();
          // An https port answering plain http says so with 400; an http port refuses the TLS handshake (error).
          if (e.base.protocol === "http:" || res.statusCode !== 400) return e;
        } catch (err) {
          last = err;
        }
      }
      throw last;
    })();
    probed.set(key, p);
    p.catch(() => probed.delete(key));
  }
  return p;
}
