import { readFileSync } from "node:fs";
import type { ContainerRecord } from "./types.js";

const BASE_HOSTS =
  "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";
const LOOPBACK_NS = /^\s*nameserver\s+(127\.|::1\s*$)/;

/** --add-host entries, `host-gateway` replaced by the default bridge's gateway (Docker's host-gateway-ip). */
export function extraHostLines(c: ContainerRecord, hostGateway: string): string {
  let out = "";
  for (const extra of c.hostConfig.ExtraHosts ?? []) {
    const i = extra.indexOf(":");
    if (i <= 0) continue;
    const ip = extra.slice(i + 1).replace(/^\[|\]$/g, "");
    out += `${ip === "host-gateway" ? hostGateway : ip}\t${extra.slice(0, i)}\n`;
  }
  return out;
}

/** /etc/hosts of a container with its own network namespace: defaults, --add-host, legacy links, then its own address. */
export function hostsFile(c: ContainerRecord, ip: string | undefined, hostGateway: string, linkLines = ""): string {
  let hosts = BASE_HOSTS + extraHostLines(c, hostGateway) + linkLines;
  const host = c.config.Hostname || c.id.slice(0, 12);
  if (ip) hosts += c.config.Domainname ? `${ip}\t${host}.${c.config.Domainname} ${host}\n` : `${ip}\t${host}\n`;
  return hosts;
}

export function hostNameservers(): string[] {
  const text = (() => {
    try {
      return readFileSync("/etc/resolv.conf", "utf8");
    } catch {
      return "";
    }
  })();
  return text
    .split("\n")
    .filter((l) => /^\s*nameserver\s/.test(l) && !LOOPBACK_NS.test(l))
    .map((l) => l.trim().split(/\s+/)[1]);
}

function hostDirective(word: string): string[] {
  try {
    const line = readFileSync("/etc/resolv.conf", "utf8").split("\n").reverse().find((l) => new RegExp(`^\\s*${word}\\s`).test(l));
    return line ? line.trim().split(/\s+/).slice(1) : [];
  } catch {
    return [];
  }
}

/**
 * /etc/resolv.conf in Docker's layout (search, nameserver, options): the
 * user's --dns* values, else the host's (loopback resolvers dropped, Google's
 * public servers as the last resort). On a user network the only nameserver
 * is the embedded DNS server at `embeddedDns`, which forwards to the rest.
 */
export interface DaemonDns {
  dns: string[];
  dnsSearch: string[];
  dnsOpts: string[];
}

/** The daemon's --dns/--dns-search/--dns-opt come between the container's own and the host's. */
export function resolvConf(c: ContainerRecord, embeddedDns?: string, daemon?: DaemonDns): string {
  const hc = c.hostConfig;
  const search = hc.DnsSearch?.length ? hc.DnsSearch : daemon?.dnsSearch.length ? daemon.dnsSearch : hostDirective("search");
  const userOpts = hc.DnsOptions?.length ? hc.DnsOptions : daemon?.dnsOpts.length ? daemon.dnsOpts : hostDirective("options");
  let servers = hc.Dns?.length ? [...hc.Dns] : daemon?.dns.length ? [...daemon.dns] : hostNameservers();
  if (!servers.length) servers = ["8.8.8.8", "8.8.4.4"];
  const opts = embeddedDns && !userOpts.some((o) => o.startsWith("ndots:")) ? ["ndots:0", ...userOpts] : userOpts;
  const lines: string[] = [];
  if (search.length && search.join(" ").trim() !== ".") lines.push(`search ${search.join(" ")}`);
  for (const s of embeddedDns ? [embeddedDns] : servers) lines.push(`nameserver ${s}`);
  if (opts.length) lines.push(`options ${opts.join(" ")}`);
  return lines.join("\n") + "\n";
}
