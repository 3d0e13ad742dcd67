import { ipBatch } from "./host-net.js";

/**
 * One container interface: a veth pair whose host end is enslaved to the
 * network's bridge and whose other end is created directly inside the
 * container's named netns (so it never clashes with host names like eth0).
 */
export interface VethPlan {
  netns: string;
  hostVeth: string;
  ifname: string;
  bridge: string;
  ipCidr: string;
  /** "fd00::2/64" on a network with IPv6. */
  ip6Cidr?: string;
  /** IPv6 default route (primary network only). */
  gateway6?: string;
  mac: string;
  gateway?: string;
  /** Route the embedded DNS address (127.0.0.11) to this gateway, from the interface's own address. */
  dnsVia?: string;
  mtu?: number;
  hairpin: boolean;
}

export async function plugVeth(p: VethPlan): Promise<void> {
  const mtu = p.mtu ? ` mtu ${p.mtu}` : "";
  await ipBatch([
    `link add name ${p.hostVeth}${mtu} type veth peer name ${p.ifname}${mtu} netns ${p.netns}`,
    `link set dev ${p.hostVeth} master ${p.bridge}`,
    ...(p.hairpin ? [`link set dev ${p.hostVeth} type bridge_slave hairpin on`] : []),
    `link set dev ${p.hostVeth} up`,
  ]);
  await ipBatch(
    [
      "link set lo up",
      `link set dev ${p.ifname} address ${p.mac}`,
      `addr add ${p.ipCidr} dev ${p.ifname}`,
      // nodad: the address is ours by allocation; duplicate detection would only delay it by seconds.
      ...(p.ip6Cidr ? [`addr add ${p.ip6Cidr} dev ${p.ifname} nodad`] : []),
      `link set dev ${p.ifname} up`,
      ...(p.gateway ? [`route replace default via ${p.gateway} dev ${p.ifname}`] : []),
      ...(p.gateway6 ? [`route replace default via ${p.gateway6} dev ${p.ifname}`] : []),
      // A host route in the local table beats lo's 127.0.0.0/8; the daemon's table DNATs it to the DNS server.
      ...(p.dnsVia ? [`route replace 127.0.0.11/32 via ${p.dnsVia} dev ${p.ifname} src ${p.ipCidr.split("/")[0]} table local`] : []),
    ],
    p.netns,
  );
}

/** Deleting the host end removes the pair; a missing link is fine (idempotent teardown). */
export async function unplugVeth(hostVeth: string): Promise<void> {
  await ipBatch([`link delete ${hostVeth}`]).catch(() => undefined);
}
