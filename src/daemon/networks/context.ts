import type { NetworkStore } from "./network-store.js";
import type { IpamConfig } from "./types.js";

export interface NetworkConfig {
  bridge?: string;
  bip?: string;
  iptables: boolean;
  ipForward: boolean;
  userlandProxy: boolean;
  mtu?: number;
  icc?: boolean;
  /** The daemon's --dns* defaults (resolv.conf and the embedded DNS's upstreams). */
  dns?: import("../containers/etc-content.js").DaemonDns;
  /** --default-address-pool: where new networks' subnets come from (Docker's pools when empty). */
  addressPools?: Array<{ base: string; size: number }>;
}

export interface EventSink {
  publish(type: string, action: string, id: string, attrs: Record<string, string>): void;
}

export interface NetworkCreateRequest {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Driver?: string; Config?: Partial<IpamConfig>[]; Options?: Record<string, string> };
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
}

/** Network inspect's Containers entry. */
export interface AttachedContainer {
  Name: string;
  EndpointID: string;
  MacAddress: string;
  IPv4Address: string;
  IPv6Address: string;
}

/** What the network service and the endpoints share (built once in the composition root). */
export interface NetworkContext {
  cfg: NetworkConfig;
  store: NetworkStore;
  /** This daemon's nftables table. */
  table: string;
  events: EventSink;
  containersOn(networkId: string): Record<string, AttachedContainer>;
  /** Names as the container at `clientIp` (on `networkId`) sees them: every network it is on. */
  resolveName(networkId: string, clientIp: string, name: string): { v4: string[]; v6: string[] } | undefined;
  reverseName(networkId: string, clientIp: string, ip: string): string | undefined;
  upstreamsFor(networkId: string, clientIp: string): string[];
}
