import dns from "node:dns/promises";
import net from "node:net";
import { InvalidArgumentError } from "../lib/errors.js";
import type { ResolvedTls } from "./api-tls.js";

/**
 * Who can reach the API and with what proof. dockerd only warns (and sleeps)
 * when it serves tcp without client certificates on a non-loopback address;
 * wharf refuses, unless the user turned authentication off explicitly.
 */

/** dockerd's `-H` normalisation: `tcp://:2375` means localhost, a bare `host:port` means tcp. */
export function normalizeDaemonHost(raw: string, defaultUnix: string): string {
  const host = raw.trim();
  const sep = host.indexOf("://");
  const proto = sep < 0 ? "tcp" : host.slice(0, sep);
  const addr = sep < 0 ? host : host.slice(sep + 3);
  if (proto === "unix") {
    if (addr.includes("://")) throw new InvalidArgumentError(`invalid unix address: ${addr}`);
    return `unix://${addr || defaultUnix}`;
  }
  if (proto !== "tcp") throw new InvalidArgumentError(`invalid bind address (${raw}): unsupported proto '${proto}'`);
  const m = /^(\[[^\]]*\]|[^:/]*)(?::(\d*))?$/.exec(addr);
  if (!m) throw new InvalidArgumentError(`invalid bind address (${raw}): expected tcp://HOST:PORT`);
  const port = m[2] === undefined || m[2] === "" ? "2375" : m[2];
  if (!(Number(port) > 0 && Number(port) < 65536)) throw new InvalidArgumentError(`invalid bind address (${raw}): invalid port: ${port}`);
  return `tcp://${m[1] || "localhost"}:${Number(port)}`;
}

/** tcp://HOST:PORT → HOST without IPv6 brackets. */
export function tcpHostname(host: string): string {
  const addr = host.slice("tcp://".length);
  return addr.slice(0, addr.lastIndexOf(":")).replace(/^\[|\]$/g, "");
}

/** Loopback as Go's net.IP.IsLoopback sees it; a name counts by what it resolves to. */
export async function isLoopback(hostname: string): Promise<boolean> {
  if (hostname === "localhost") return true;
  const ip = net.isIP(hostname) ? hostname : await dns.lookup(hostname).then((r) => r.address, () => undefined);
  if (!ip) return false;
  if (net.isIPv4(ip)) return ip.startsWith("127.");
  const v6 = ip.toLowerCase();
  return v6 === "::1" || /^::ffff:127\./.test(v6);
}

// dockerd's words, logged on every start of an unauthenticated tcp listener.
export const UNAUTHENTICATED_TCP_WARNINGS = [
  "Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network.",
  "Binding to an IP address, even on localhost, can also give access to scripts run in a browser. Be safe out there!",
  "[DEPRECATION NOTICE] In future versions this will be a hard failure preventing the daemon from starting! Learn more at: https://docs.docker.com/go/api-security/",
];

export interface ExposureWarning {
  host: string;
  message: string;
}

/**
 * Check every tcp host against the TLS mode: the warnings to log, or an
 * InvalidArgumentError when a non-loopback address would serve without
 * client authentication and nobody asked for that.
 */
export async function checkExposure(hosts: string[], tls: ResolvedTls): Promise<ExposureWarning[]> {
  const warnings: ExposureWarning[] = [];
  for (const host of hosts) {
    if (!host.startsWith("tcp://") || tls.mode === "mutual") continue;
    if (!tls.explicitOptOut && !(await isLoopback(tcpHostname(host)))) {
      const what = tls.mode === "plain" ? "without TLS" : "without client certificate verification";
      throw new InvalidArgumentError(
        `refusing to serve the API on ${host} ${what}: anyone who can reach that address would be root on this host. ` +
          `Use --tlsverify with --tlscacert, --tlscert and --tlskey (see "Remote access" in wharf's README), listen on a loopback address or a unix socket, ` +
          `or accept the risk explicitly with --tls=false or --tlsverify=false`,
      );
    }
    for (const message of UNAUTHENTICATED_TCP_WARNINGS) warnings.push({ host, message });
  }
  return warnings;
}

/** `docker info` Warnings for listeners without encryption or client verification (dockerd's text). */
export function apiInfoWarnings(hosts: string[], tls: ResolvedTls): string[] {
  const attack = `
         Access to the remote API is equivalent to root access on the host. Refer
         to the 'Docker daemon attack surface' section in the documentation for
         more information: https://docs.docker.com/go/attack-surface/`;
  const removal = "In future versions this will be a hard failure preventing the daemon from starting! Learn more at: https://docs.docker.com/go/api-security/";
  const out: string[] = [];
  for (const host of hosts) {
    if (!host.startsWith("tcp://")) continue;
    const addr = host.slice("tcp://".length);
    if (tls.mode === "plain") out.push(`[DEPRECATION NOTICE]: API is accessible on http://${addr} without encryption.${attack}\n${removal}`);
    else if (tls.mode === "tls") out.push(`[DEPRECATION NOTICE]: API is accessible on https://${addr} without TLS client verification.${attack}\n${removal}`);
  }
  return out;
}
