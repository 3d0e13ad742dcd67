import { InvalidArgumentError } from "../lib/errors.js";

/**
 * IPv4 address arithmetic and subnet choice. Pure functions: the persisted
 * allocations live with the endpoints (daemon/networks), this module only
 * answers "which address/subnet is free given these used ones".
 */
export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

export function ipToInt(ip: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m || m.slice(1).some((p) => Number(p) > 255)) throw new InvalidArgumentError(`invalid IPv4 address: ${ip}`);
  return ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** "10.1.2.3/16" → {base: 10.1.0.0, prefix: 16}; `strict` refuses host bits (docker network create --subnet). */
export function parseCidr(s: string, strict = false): Cidr {
  const [ip, p] = s.split("/");
  const prefix = Number(p);
  if (p === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new InvalidArgumentError(`invalid CIDR address: ${s}`);
  const addr = ipToInt(ip);
  const base = (addr & mask(prefix)) >>> 0;
  if (strict && base !== addr) throw new InvalidArgumentError(`invalid subnet ${s}: it should be ${intToIp(base)}/${prefix}`);
  return { base, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${intToIp(c.base)}/${c.prefix}`;
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function contains(c: Cidr, ip: number): boolean {
  return ((ip & mask(c.prefix)) >>> 0) === c.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b.base) || contains(b, a.base);
}

/** Docker's default address pools: 172.17-31.0.0/16, then 192.168.0.0/16 in /20 blocks. */
export function defaultPoolSubnets(): Cidr[] {
  const out: Cidr[] = [];
  for (let b = 17; b <= 31; b++) out.push({ base: ipToInt(`172.${b}.0.0`), prefix: 16 });
  for (let c = 0; c < 256; c += 16) out.push({ base: ipToInt(`192.168.${c}.0`), prefix: 20 });
  return out;
}

/** --default-address-pool entries ({base: "10.10.0.0/16", size: 24}) split into their subnets, in order. */
export function poolSubnets(pools: Array<{ base: string; size: number }>): Cidr[] {
  const out: Cidr[] = [];
  for (const p of pools) {
    const base = parseCidr(p.base);
    const step = 2 ** (32 - p.size);
    for (let a = base.base, n = 0; n < 2 ** (p.size - base.prefix) && n < 65536; a += step, n++) out.push({ base: a >>> 0, prefix: p.size });
  }
  return out;
}

/** The first pool subnet that overlaps none of `used`; a ConflictError-style message when all are taken. */
export function pickFreeSubnet(used: Cidr[], pools = defaultPoolSubnets()): Cidr {
  const free = pools.find((p) => !used.some((u) => overlaps(p, u)));
  if (!free) throw new InvalidArgumentError("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
  return free;
}

/**
 * The next free host address in `range` (default: the subnet) that is not
 * the network address, broadcast or in `used`; undefined when exhausted.
 * `after` makes allocation round-robin (like Docker's bitmap cursor), so a
 * released address is not handed out again at once.
 */
export function allocateIp(subnet: Cidr, used: Set<number>, range?: Cidr, after?: number): number | undefined {
  const r = range ?? subnet;
  const first = r.base;
  const last = r.base + size(r) - 1;
  const span = last - first + 1;
  const start = after !== undefined && after >= first && after < last ? after + 1 - first : 0;
  for (let i = 0; i < span; i++) {
    const ip = first + ((start + i) % span);
    if (ip === subnet.base || ip === subnet.base + size(subnet) - 1) continue;
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

/** Docker's deterministic MAC for an IPv4 address: 02:42 then the address bytes. */
export function macForIp(ip: number): string {
  return ["02", "42", ...[ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}
