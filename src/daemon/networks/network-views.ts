import type { AttachedContainer } from "./context.js";
import type { NetworkRecord } from "./types.js";

/** GET /networks/{id}: Docker's Network shape (internal fields stripped). */
export function networkView(n: NetworkRecord, containers: Record<string, AttachedContainer>): Record<string, unknown> {
  return {
    Name: n.Name,
    Id: n.Id,
    Created: n.Created,
    Scope: n.Scope,
    Driver: n.Driver,
    EnableIPv4: n.EnableIPv4,
    EnableIPv6: n.EnableIPv6,
    IPAM: n.clusterGateway ? { ...n.IPAM, Config: n.IPAM.Config.map((c) => ({ Subnet: c.Subnet, Gateway: n.clusterGateway! })) } : n.IPAM,
    Internal: n.Internal,
    Attachable: n.Attachable,
    Ingress: !!n.ingress,
    ConfigFrom: { Network: "" },
    ConfigOnly: false,
    Containers: containers,
    Options: n.Options,
    Labels: n.Labels,
  };
}
