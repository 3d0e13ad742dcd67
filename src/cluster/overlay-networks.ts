import { ConflictError, ForbiddenError, InvalidArgumentError, NotFoundError } from "../lib/errors.js";
import { newId } from "../lib/ids.js";
import { contains, formatCidr, intToIp, ipToInt, overlaps, parseCidr, type Cidr } from "../network/ipam.js";
import { now, type ClusterRecord } from "./objects.js";
import type { Session } from "./swarm.js";

/**
 * Swarm-scoped (overlay) networks as etcd holds them: Docker's network
 * shape plus the VXLAN ID. Addresses are allocated cluster-wide with one
 * etcd key per address (`ipam/<net>/<ip>`, created only if absent), so two
 * managers never hand out the same one. Each node realises the networks
 * locally (overlay-host.ts).
 */
export interface OverlayNetworkRecord {
  Id: string;
  Name: string;
  Created: string;
  Driver: "overlay";
  Scope: "swarm";
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  Labels: Record<string, string>;
  Options: Record<string, string>;
  Subnet: string;
  Gateway: string;
  vni: number;
}

export interface OverlayCreateRequest {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  Labels?: Record<string, string>;
  Options?: Record<string, string>;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
}

const FIRST_VNI = 4096;

export async function listOverlays(s: Session): Promise<OverlayNetworkRecord[]> {
  return (await s.store.list<OverlayNetworkRecord>("networks/")).map((n) => n.value);
}

/** Service network references (names or IDs) to IDs, as swarmkit stores them. */
export async function resolveServiceNetworks(s: Session, refs: { Target: string; Aliases?: string[] }[]): Promise<{ Target: string; Aliases?: string[] }[]> {
  if (!refs.length) return [];
  const all = await listOverlays(s);
  return refs.map((r) => {
    const n = all.find((x) => x.Id === r.Target) ?? all.find((x) => x.Name === r.Target) ?? all.find((x) => x.Id.startsWith(r.Target));
    if (!n) throw new NotFoundError(`network ${r.Target} not found`);
    if (n.Ingress) throw new InvalidArgumentError("rpc error: code = InvalidArgument desc = Service cannot be explicitly attached to the ingress network");
    return { Target: n.Id, ...(r.Aliases?.length ? { Aliases: r.Aliases } : {}) };
  });
}

function poolSubnets(pools: string[], size: number): Cidr[] {
  const out: Cidr[] = [];
  for (const p of pools) {
    const c = parseCidr(p);
    if (size < c.prefix) continue;
    const step = 2 ** (32 - size);
    for (let base = c.base; base < c.base + 2 ** (32 - c.prefix) && out.length < 4096; base += step) out.push({ base: base >>> 0, prefix: size } as Cidr);
  }
  return out;
}

export async function createOverlay(s: Session, req: OverlayCreateRequest): Promise<{ Id: string; Warning: string }> {
  if (!req.Name) throw new InvalidArgumentError("invalid name: name is required");
  if (["bridge", "host", "none"].includes(req.Name)) throw new ForbiddenError(`operation is not permitted on predefined ${req.Name} network `);
  const all = await listOverlays(s);
  if (all.some((n) => n.Name === req.Name)) throw new ConflictError(`network with name ${req.Name} already exists`);
  if (req.Ingress && all.some((n) => n.Ingress)) throw new ForbiddenError("ingress network already exists");
  const cluster = (await s.store.get<ClusterRecord>("cluster"))!.value;
  const taken = all.map((n) => parseCidr(n.Subnet));
  const want = req.IPAM?.Config?.[0];
  let subnet: Cidr | undefined;
  if (want?.Subnet) {
    subnet = parseCidr(want.Subnet);
    if (taken.some((t) => overlaps(t, subnet!))) throw new ForbiddenError("invalid pool request: Pool overlaps with other one on this address space");
  } else {
    subnet = poolSubnets(cluster.DefaultAddrPool, cluster.SubnetSize).find((c) => !taken.some((t) => overlaps(t, c)) && !contains(c, ipToInt(s.state.addr)));
    if (!subnet) throw new ForbiddenError("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
  }
  const gateway = want?.Gateway || intToIp(subnet.base + 1);
  if (!contains(subnet, ipToInt(gateway))) throw new InvalidArgumentError(`invalid gateway ${gateway}: not in subnet ${formatCidr(subnet)}`);
  const vni = FIRST_VNI + Math.max(0, ...all.map((n) => n.vni - FIRST_VNI + 1));
  const rec: OverlayNetworkRecord = {
    Id: newId().slice(0, 25), Name: req.Name, Created: now(), Driver: "overlay", Scope: "swarm",
    Internal: !!req.Internal, Attachable: !!req.Attachable, Ingress: !!req.Ingress,
    Labels: req.Labels ?? {}, Options: { "com.docker.network.driver.overlay.vxlanid_list": String(vni), ...(req.Options ?? {}) },
    Subnet: formatCidr(subnet), Gateway: gateway, vni,
  };
  if (!(await s.store.txn({ expect: { [`names/network/${req.Name}`]: 0, [`vni/${vni}`]: 0 }, put: { [`networks/${rec.Id}`]: rec, [`names/network/${req.Name}`]: rec.Id, [`vni/${vni}`]: rec.Id } }))) {
    throw new ConflictError(`network with name ${req.Name} already exists`);
  }
  return { Id: rec.Id, Warning: "" };
}

export async function findOverlay(s: Session, ref: string): Promise<OverlayNetworkRecord> {
  const all = await listOverlays(s);
  const n = all.find((x) => x.Id === ref) ?? all.find((x) => x.Name === ref) ?? all.find((x) => x.Id.startsWith(ref));
  if (!n) throw new NotFoundError(`network ${ref} not found`);
  return n;
}

export async function removeOverlay(s: Session, ref: string): Promise<void> {
  const n = await findOverlay(s, ref);
  const services = await s.store.list<{ Spec: { Name: string; TaskTemplate: { Networks?: { Target: string }[] } } }>("services/");
  const user = services.find((x) => x.value.Spec.TaskTemplate.Networks?.some((t) => t.Target === n.Id));
  if (user) throw new ConflictError(`rpc error: code = FailedPrecondition desc = network ${n.Id} is in use by service ${user.value.Spec.Name}`);
  await s.store.txn({ del: [`networks/${n.Id}`, `names/network/${n.Name}`, `vni/${n.vni}`] });
  await s.store.deletePrefix(`ipam/${n.Id}/`);
}

/** One free address on a network, claimed in etcd for `owner` (a task, a node, a service VIP). */
export async function allocateAddress(s: Session, net: OverlayNetworkRecord, owner: string): Promise<string> {
  const subnet = parseCidr(net.Subnet);
  const used = new Set((await s.store.list<string>(`ipam/${net.Id}/`)).map((k) => k.key.split("/").pop()!));
  const first = subnet.base + 2;
  const last = subnet.base + 2 ** (32 - subnet.prefix) - 2;
  for (let i = first; i <= last; i++) {
    const ip = intToIp(i);
    if (used.has(ip) || ip === net.Gateway) continue;
    if (await s.store.txn({ expect: { [`ipam/${net.Id}/${ip}`]: 0 }, put: { [`ipam/${net.Id}/${ip}`]: owner } })) return ip;
  }
  throw new ConflictError(`no available IPv4 addresses on network ${net.Name}`);
}

export async function releaseAddress(s: Session, netId: string, ip: string): Promise<void> {
  await s.store.delete(`ipam/${netId}/${ip}`);
}

export function prefixOf(net: OverlayNetworkRecord): number {
  return parseCidr(net.Subnet).prefix;
}
