import type { ServiceRecord, ServiceSpec, TaskRecord } from "./objects.js";
import type { TaskAllocator } from "./orchestrator.js";
import { allocateAddress, listOverlays, prefixOf, releaseAddress, type OverlayNetworkRecord } from "./overlay-networks.js";
import type { Session } from "./swarm.js";

/** The overlay networks a service's tasks join: its own, plus ingress when it publishes ports through the mesh. */
export function serviceNetworkIds(spec: ServiceSpec, ingress?: OverlayNetworkRecord): string[] {
  const ids = (spec.TaskTemplate.Networks ?? []).map((n) => n.Target);
  const meshed = (spec.EndpointSpec?.Ports ?? []).some((p) => (p.PublishMode ?? "ingress") === "ingress");
  // Ingress last: a task's first network gives its default route and its DNS server, and names resolve on its own networks.
  return meshed && ingress ? [...ids, ingress.Id] : ids;
}

/** Addresses for the tasks the leader creates (one per network), released when tasks are deleted. */
export class TaskNetworkAllocator implements TaskAllocator {
  async allocate(s: Session, svc: ServiceRecord, tasks: TaskRecord[]): Promise<void> {
    if (!tasks.length) return;
    const nets = await listOverlays(s);
    const ids = serviceNetworkIds(svc.Spec, nets.find((n) => n.Ingress));
    for (const t of tasks) {
      t.NetworksAttachments = [];
      for (const id of ids) {
        const n = nets.find((x) => x.Id === id);
        if (!n) continue;
        const ip = await allocateAddress(s, n, `task:${t.ID}`);
        t.NetworksAttachments.push({ Network: { ID: n.Id, Spec: { Name: n.Name } }, Addresses: [`${ip}/${prefixOf(n)}`] });
      }
    }
  }

  async release(s: Session, tasks: TaskRecord[]): Promise<void> {
    for (const t of tasks) for (const a of t.NetworksAttachments ?? []) for (const addr of a.Addresses) await releaseAddress(s, a.Network.ID, addr.split("/")[0]).catch(() => undefined);
  }
}

/** Virtual IPs of a vip-mode service on each of its networks: kept across updates, allocated for new networks, released for dropped ones. */
export async function assignVips(s: Session, svc: ServiceRecord, before?: ServiceRecord): Promise<void> {
  const nets = await listOverlays(s);
  const ids = svc.Spec.EndpointSpec?.Mode === "dnsrr" ? [] : serviceNetworkIds(svc.Spec, nets.find((n) => n.Ingress));
  const old = before?.Endpoint?.VirtualIPs ?? [];
  const vips: { NetworkID: string; Addr: string }[] = [];
  for (const id of ids) {
    const kept = old.find((v) => v.NetworkID === id);
    const n = nets.find((x) => x.Id === id);
    if (kept) vips.push(kept);
    else if (n) vips.push({ NetworkID: id, Addr: `${await allocateAddress(s, n, `vip:${svc.ID}`)}/${prefixOf(n)}` });
  }
  for (const v of old) if (!ids.includes(v.NetworkID)) await releaseAddress(s, v.NetworkID, v.Addr.split("/")[0]).catch(() => undefined);
  svc.Endpoint = { ...(svc.Endpoint ?? { Spec: svc.Spec.EndpointSpec }), ...(vips.length ? { VirtualIPs: vips } : { VirtualIPs: undefined }) };
}

export async function releaseVips(s: Session, svc: ServiceRecord): Promise<void> {
  for (const v of svc.Endpoint?.VirtualIPs ?? []) await releaseAddress(s, v.NetworkID, v.Addr.split("/")[0]).catch(() => undefined);
}
