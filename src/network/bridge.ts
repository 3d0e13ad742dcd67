import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { formatCidr, parseCidr, pickFreeSubnet, type Cidr } from "./ipam.js";
import { ipBatch, linkExists, listLinks, output, usedHostPrefixes, writeSysctl } from "./host-net.js";

/**
 * Linux bridges for networks. Choosing a free subnet and creating the bridge
 * that takes it happen under a host-wide lock, so daemons started side by
 * side (tests) never pick the same subnet.
 */
const LOCK = "/run/wharf-subnet.lock";
const LOCK_STALE_MS = 15_000;

export async function withSubnetLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fs.mkdir(LOCK);
      break;
    } catch {
      const st = await fs.stat(LOCK).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > LOCK_STALE_MS) await fs.rmdir(LOCK).catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK}`);
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rmdir(LOCK).catch(() => undefined);
  }
}

/** A subnet from Docker's default pools that no host route, address or `taken` subnet overlaps. Call under the lock. */
export async function chooseFreeSubnet(taken: string[], pools?: Cidr[]): Promise<Cidr> {
  const used = [...(await usedHostPrefixes()), ...taken].map((p) => parseCidr(p));
  return pickFreeSubnet(used, pools?.length ? pools : undefined);
}

/**
 * Create (or adopt) bridge `name` with `gatewayCidr` ("172.18.0.1/16") and bring it up. Idempotent.
 *
 * The bridge gets a fixed MAC address, as Docker's do: a bridge without one
 * takes the lowest MAC among its ports, so it changes whenever a container
 * joins or leaves, and containers that cached the gateway's old address lose
 * the gateway (DNS, outbound traffic) until their neighbour entry expires.
 * An adopted bridge without a fixed address keeps its current one, pinned.
 */
export async function ensureBridge(name: string, gatewayCidr: string | undefined, mtu?: number): Promise<void> {
  const cmds: string[] = [];
  const link = await linkMac(name);
  if (link === undefined) cmds.push(`link add name ${name} address ${randomBridgeMac()} type bridge`);
  else if ((await addrAssignType(name)) !== NET_ADDR_SET) {
    // Setting the current address again pins it. (Also where /sys shows another network namespace's
    // devices, a daemon started with `nsenter --net`: reading the address through `ip` is always right.)
    cmds.push(`link set dev ${name} address ${link || randomBridgeMac()}`);
  }
  if (mtu) cmds.push(`link set dev ${name} mtu ${mtu}`);
  if (cmds.length) await ipBatch(cmds);
  if (gatewayCidr) {
    const have = await output("ip", ["-4", "-o", "addr", "show", "dev", name]);
    if (!have.includes(` ${gatewayCidr} `)) await ipBatch([`addr replace ${gatewayCidr} dev ${name}`]);
  }
  // Answers of the embedded DNS leave the bridge from 127.0.0.11 (un-DNAT): the ARP request for the
  // container must still ask from the bridge's own address, or the container's reply is dropped
  // as aimed at a loopback address and the answer is lost once the neighbour entry has expired.
  await writeSysctl(`net.ipv4.conf.${name}.arp_announce`, "2").catch(() => undefined);
  await ipBatch([`link set dev ${name} up`]);
}

/** The MAC address of link `name` ("" when unreadable), undefined when there is no such link. */
async function linkMac(name: string): Promise<string | undefined> {
  const out = await output("ip", ["-j", "link", "show", "dev", name]).catch(() => undefined);
  if (out === undefined) return undefined;
  const mac = (JSON.parse(out || "[]") as { address?: string }[])[0]?.address ?? "";
  return /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac) ? mac : "";
}

/** Give bridge `name` its IPv6 gateway address ("fd00::1/64"); idempotent. */
export async function ensureBridgeV6(name: string, gatewayCidr: string): Promise<void> {
  await writeSysctl(`net.ipv6.conf.${name}.disable_ipv6`, "0").catch(() => undefined);
  await ipBatch([`addr replace ${gatewayCidr} dev ${name} nodad`]);
}

/** The kernel's addr_assign_type for an address set by hand (NET_ADDR_SET): it then never follows the ports. */
const NET_ADDR_SET = 3;

/** -1 when unknown: /sys/class/net shows the devices of the namespace sysfs was mounted in, which may not be ours. */
async function addrAssignType(name: string): Promise<number> {
  const [ours, there] = await Promise.all([fs.readlink("/proc/self/ns/net").catch(() => "a"), fs.readlink("/proc/1/ns/net").catch(() => "b")]);
  if (ours !== there) return -1;
  return Number((await fs.readFile(`/sys/class/net/${name}/addr_assign_type`, "utf8").catch(() => "-1")).trim());
}

/** A locally administered unicast MAC in Docker's 02:42 prefix. */
function randomBridgeMac(): string {
  return ["02", "42", ...randomBytes(4).toString("hex").match(/../g)!].join(":");
}

export async function bridgeAddress(name: string): Promise<string | undefined> {
  const out = await output("ip", ["-4", "-o", "addr", "show", "dev", name]).catch(() => "");
  return /inet (\S+)/.exec(out)?.[1];
}

export async function deleteLink(name: string): Promise<void> {
  if (await linkExists(name)) await ipBatch([`link delete ${name}`]).catch(() => undefined);
}

/** Host-side veths enslaved to `bridge`. */
export async function bridgePorts(bridge: string): Promise<string[]> {
  return (await listLinks()).filter((l) => l.master === bridge).map((l) => l.ifname);
}

export { formatCidr };
