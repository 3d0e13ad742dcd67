/**
 * Persisted networking state. Networks keep Docker's wire names (inspect
 * returns them verbatim); `bridge` is the host interface. An endpoint exists
 * while its container runs; the sandbox file is what the daemon reconciles
 * after a crash (veths, netns, NAT rules, proxies are all derived from it).
 */
export interface IpamConfig {
  Subnet: string;
  Gateway: string;
  IPRange?: string;
}

export interface NetworkRecord {
  Name: string;
  Id: string;
  Created: string;
  Scope: "local" | "swarm";
  Driver: "bridge" | "host" | "null" | "overlay";
  EnableIPv4: boolean;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: IpamConfig[] };
  Internal: boolean;
  Attachable: boolean;
  Options: Record<string, string>;
  Labels: Record<string, string>;
  /** Host bridge interface (bridge driver only). */
  bridge?: string;
  /** The daemon's `bridge` network, `host` and `none`: cannot be removed. */
  predefined?: boolean;
  /** We created the bridge interface (and so delete it with the network). */
  ownsBridge?: boolean;
  /** Swarm overlay: the routing-mesh network; `clusterGateway` is the subnet's gateway (the local IPAM gateway is this node's address). */
  ingress?: boolean;
  clusterGateway?: string;
}

/** What a container asked for on one network (Engine API EndpointSettings, request side). */
export interface EndpointConfig {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
  Aliases?: string[] | null;
  MacAddress?: string;
  NetworkID?: string;
  DriverOpts?: Record<string, string> | null;
  [key: string]: unknown;
}

export interface EndpointRecord {
  networkId: string;
  endpointId: string;
  /** Interface name inside the container (eth0, eth1...). */
  ifname: string;
  hostVeth: string;
  ip: string;
  prefix: number;
  gateway: string;
  mac: string;
  /** On a network with IPv6: the container's IPv6 address, its prefix length and the gateway. */
  ip6?: string;
  prefix6?: number;
  gateway6?: string;
  aliases: string[];
  dnsNames: string[];
}

export interface PortMapping {
  proto: "tcp" | "udp";
  containerPort: number;
  hostIp: string;
  hostPort: number;
}

export interface SandboxRecord {
  containerId: string;
  netns: string;
  endpoints: EndpointRecord[];
  ports: PortMapping[];
}
