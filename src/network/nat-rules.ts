import { output } from "./host-net.js";

/**
 * The daemon's whole netfilter state as one nftables table of its own
 * (`ip <table>`), regenerated from the stores and swapped atomically in one
 * `nft -f` transaction. Why nft and not iptables: the host's iptables is
 * iptables-nft anyway; one private table per daemon means side-by-side
 * daemons never touch each other's rules, reconciling is "replace the
 * table", and cleanup is "delete the table" — nothing to diff or leak.
 */
export interface FirewallNetwork {
  bridge: string;
  subnet: string;
  internal: boolean;
  /** false: containers on this bridge cannot talk to each other (com.docker.network.bridge.enable_icc). */
  icc: boolean;
  /** false: no outbound masquerade (com.docker.network.bridge.enable_ip_masquerade). */
  masquerade: boolean;
  /**
   * The network's embedded DNS server (its gateway address): containers send
   * to 127.0.0.11:53 (routed out of their netns to the gateway) and this DNAT
   * delivers it there, as Docker's resolver address does.
   */
  dns?: string;
  /** The network's IPv6 subnet, when it has IPv6 (masquerade and isolation in the ip6 table). */
  subnet6?: string;
}

/** Docker's embedded DNS address inside containers on user-defined networks. */
export const EMBEDDED_DNS_IP = "127.0.0.11";

export interface FirewallPort {
  proto: "tcp" | "udp";
  /** IPv4 host address, or "0.0.0.0" for all. IPv6 bindings are served by the proxy only. */
  hostIp: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
  bridge: string;
}

export interface FirewallState {
  table: string;
  userlandProxy: boolean;
  networks: FirewallNetwork[];
  ports: FirewallPort[];
}

const q = (name: string) => JSON.stringify(name);

/** The nft script that replaces the table with `s` (pure, unit-tested). */
export function renderRuleset(s: FirewallState): string {
  const T = `ip ${s.table}`;
  const ports: string[] = [];
  const post: string[] = [];
  const fwd: string[] = [];
  const dns: string[] = [];
  for (const n of s.networks) {
    if (!n.dns) continue;
    for (const proto of ["udp", "tcp"]) dns.push(`iifname ${q(n.bridge)} ip daddr ${EMBEDDED_DNS_IP} ${proto} dport 53 dnat to ${n.dns}:53`);
  }
  for (const p of s.ports) {
    const dst = p.hostIp && p.hostIp !== "0.0.0.0" ? `ip daddr ${p.hostIp} ` : "";
    // With the proxy, loopback and same-bridge (hairpin) clients go to the proxy, as with docker-proxy.
    const guard = s.userlandProxy ? `iifname != ${q(p.bridge)} ip daddr != 127.0.0.0/8 ` : "";
    ports.push(`${dst}${guard}${p.proto} dport ${p.hostPort} dnat to ${p.containerIp}:${p.containerPort}`);
    if (!s.userlandProxy) post.push(`ip saddr ${p.containerIp} ip daddr ${p.containerIp} ${p.proto} dport ${p.containerPort} masquerade`);
  }
  for (const n of s.networks) {
    if (!n.internal && n.masquerade) post.push(`ip saddr ${n.subnet} oifname != ${q(n.bridge)} masquerade`);
    if (!s.userlandProxy) post.push(`oifname ${q(n.bridge)} ip saddr 127.0.0.0/8 masquerade`);
    if (n.internal) {
      fwd.push(`iifname ${q(n.bridge)} oifname != ${q(n.bridge)} drop`);
      fwd.push(`oifname ${q(n.bridge)} iifname != ${q(n.bridge)} drop`);
    }
    if (!n.icc) fwd.push(`iifname ${q(n.bridge)} oifname ${q(n.bridge)} drop`);
    for (const o of s.networks) if (o !== n) fwd.push(`iifname ${q(n.bridge)} oifname ${q(o.bridge)} drop`);
  }
  const chain = (name: string, hook: string, rules: string[]) => [`  chain ${name} {`, hook ? `    ${hook}` : "", ...rules.map((r) => `    ${r}`), "  }"].filter(Boolean);
  return [
    `table ${T}`,
    `delete table ${T}`,
    `table ${T} {`,
    ...chain("ports", "", ports),
    ...chain("prerouting", "type nat hook prerouting priority dstnat; policy accept;", [...dns, "fib daddr type local jump ports"]),
    ...chain("output", "type nat hook output priority -100; policy accept;", ["fib daddr type local jump ports"]),
    ...chain("postrouting", "type nat hook postrouting priority srcnat; policy accept;", post),
    ...chain("forward", "type filter hook forward priority filter; policy accept;", fwd),
    "}",
    ...renderIpv6(s, fwd),
    "",
  ].join("\n");
}

/**
 * The ip6 table: outbound masquerade of IPv6 subnets and the same isolation
 * rules; removed when no network has IPv6. Published ports on [::] are served
 * by the userland proxy. (Routing IPv6 off the host also needs the host's
 * net.ipv6.conf.all.forwarding, which the daemon leaves to the administrator.)
 */
function renderIpv6(s: FirewallState, fwd: string[]): string[] {
  const T = `ip6 ${s.table}`;
  const v6 = s.networks.filter((n) => n.subnet6);
  if (!v6.length) return [`table ${T}`, `delete table ${T}`];
  const post = v6.filter((n) => !n.internal && n.masquerade).map((n) => `ip6 saddr ${n.subnet6} oifname != ${q(n.bridge)} masquerade`);
  return [
    `table ${T}`,
    `delete table ${T}`,
    `table ${T} {`,
    "  chain postrouting {",
    "    type nat hook postrouting priority srcnat; policy accept;",
    ...post.map((r) => `    ${r}`),
    "  }",
    "  chain forward {",
    "    type filter hook forward priority filter; policy accept;",
    ...fwd.map((r) => `    ${r}`),
    "  }",
    "}",
  ];
}

export async function applyRuleset(s: FirewallState): Promise<void> {
  await output("nft", ["-f", "-"], renderRuleset(s));
}

export async function deleteTable(table: string): Promise<void> {
  await output("nft", ["delete", "table", "ip", table]).catch(() => undefined);
  await output("nft", ["delete", "table", "ip6", table]).catch(() => undefined);
}
