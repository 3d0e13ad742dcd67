import { createHash } from "node:crypto";
import { InvalidArgumentError } from "../lib/errors.js";

/**
 * IPv6 address arithmetic (BigInt) and subnet choice, the IPv6 half of
 * ipam.ts. Pure functions; allocations are persisted with the endpoints.
 */
export interface Cidr6 {
  base: bigint;
  prefix: number;
}

const ALL = (1n << 128n) - 1n;

export function isIp6(s: string): boolean {
  try {
    ip6ToBig(s);
    return true;
  } catch {
    return false;
  }
}

export function ip6ToBig(ip: string): bigint {
  const bad = () => new InvalidArgumentError(`invalid IPv6 address: ${ip}`);
  let s = ip.replace(/^\[|\]$/g, "").split("%")[0];
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const b = v4.slice(2).map(Number);
    if (b.some((x) => x > 255)) throw bad();
    s = `${v4[1]}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) throw bad();
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) throw bad();
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw bad();
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as `::`. */
export function bigToIp6(n: bigint): string {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) (best = i), (bestLen = j - i);
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(":");
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

export function canonicalIp6(ip: string): string {
  return bigToIp6(ip6ToBig(ip));
}

function mask6(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL;
}

/** "fd00:1::/64"; `strict` refuses host bits (network create --subnet). */
export function parseCidr6(s: string, strict = false): Cidr6 {
  const [ip, p] = s.split("/");
  const prefix = Number(p);
  if (p === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 128) throw new InvalidArgumentError(`invalid CIDR address: ${s}`);
  const addr = ip6ToBig(ip);
  const base = addr & mask6(prefix);
  if (strict && base !== addr) throw new InvalidArgumentError(`invalid subnet ${s}: it should be ${bigToIp6(base)}/${prefix}`);
  return { base, prefix };
}

export function formatCidr6(c: Cidr6): string {
  return `${bigToIp6(c.base)}/${c.prefix}`;
}

export function contains6(c: Cidr6, ip: bigint): boolean {
  return (ip & mask6(c.prefix)) === c.base;
}

export function overlaps6(a: Cidr6, b: Cidr6): boolean {
  return contains6(a, b.base) || contains6(b, a.base);
}

/**
 * The next free address of `range` (default: the subnet) after the subnet's
 * anycast address, skipping `used`; sequential like Docker 27's allocator.
 * Undefined when `limit` addresses were tried without success.
 */
export function allocateIp6(subnet: Cidr6, used: Set<string>, range?: Cidr6, limit = 65536): bigint | undefined {
  const r = range ?? subnet;
  const size = 1n << BigInt(128 - r.prefix);
  for (let i = 0n; i < size && i < BigInt(limit); i++) {
    const ip = r.base + i;
    if (ip === subnet.base) continue;
    if (!used.has(bigToIp6(ip))) return ip;
  }
  return undefined;
}

/**
 * A unique local /64 (RFC 4193) for a network created with EnableIPv6 and no
 * IPv6 subnet, as Docker 27+ does: a /48 fixed per daemon (from its data-root),
 * then the first /64 in it that overlaps nothing taken.
 */
export function pickUlaSubnet(seed: string, taken: Cidr6[]): Cidr6 {
  const h = createHash("sha256").update(seed).digest();
  let base = 0xfdn;
  for (let i = 0; i < 5; i++) base = (base << 8n) | BigInt(h[i]);
  base <<= 80n; // fdXX:XXXX:XXXX::/48
  for (let sub = 0n; sub < 65536n; sub++) {
    const c = { base: base | (sub << 64n), prefix: 64 };
    if (!taken.some((t) => overlaps6(t, c))) return c;
  }
  throw new InvalidArgumentError("could not find an available IPv6 /64 for the network; pass --subnet");
}

/** `x.x.….ip6.arpa` (PTR query name) → the address, or undefined. */
export function ip6FromReverse(name: string): string | undefined {
  const m = /^((?:[0-9a-f]\.){32})ip6\.arpa$/i.exec(name);
  if (!m) return undefined;
  const nibbles = m[1].split(".").filter(Boolean).reverse().join("");
  return bigToIp6(BigInt(`0x${nibbles}`));
}
