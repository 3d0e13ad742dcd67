import { NotFoundError } from "../lib/errors.js";
import type { Session } from "./swarm.js";

/**
 * Swarm-scoped (overlay) networks as etcd holds them: Docker's network
 * shape plus the VXLAN ID. Each node realises them locally (overlay.ts).
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

/** Service network references (names or IDs) to IDs, as swarmkit stores them. */
export async function resolveServiceNetworks(s: Session, refs: { Target: string; Aliases?: string[] }[]): Promise<{ Target: string; Aliases?: string[] }[]> {
  if (!refs.length) return [];
  const all = (await s.store.list<OverlayNetworkRecord>("networks/")).map((n) => n.value);
  return refs.map((r) => {
    const n = all.find((x) => x.Id === r.Target) ?? all.find((x) => x.Name === r.Target) ?? all.find((x) => x.Id.startsWith(r.Target));
    if (!n) throw new NotFoundError(`network ${r.Target} not found`);
    return { Target: n.Id, ...(r.Aliases?.length ? { Aliases: r.Aliases } : {}) };
  });
}
