import { randomBytes } from "node:crypto";
import { ConflictError, ForbiddenError, InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { allocateIp, contains, intToIp, ipToInt, macForIp, parseCidr } from "../../network/ipam.js";
import { addNetns, deleteNetns, netnsExists } from "../../network/host-net.js";
import { plugVeth, unplugVeth } from "../../network/veth.js";
import type { RunningProxy } from "../../network/port-proxy.js";
import type { ContainerRecord } from "../containers/types.js";
import type { NetworkService } from "./network-service.js";
import { hasIpv6, ipv6Config } from "./network-service.js";
import { allocateIp6, bigToIp6, canonicalIp6, contains6, ip6ToBig, parseCidr6 } from "../../network/ipam6.js";
import { publishPorts, reopenProxies, wantedBindings } from "./publish.js";
import { parseLinks } from "./links.js";
import type { EndpointConfig, EndpointRecord, NetworkRecord, SandboxRecord } from "./types.js";

export interface ContainerLookup {
  find(ref: string): ContainerRecord | undefined;
  save(c: ContainerRecord): Promise<void>;
}

export type Networking = { EndpointsConfig?: Record<string, EndpointConfig> | null };

/** The networks a container is attached to (by network name), in attach order. */
export function endpointsConfig(c: ContainerRecord): Record<string, EndpointConfig> {
  const nc = (c as { networkingConfig?: Networking }).networkingConfig;
  return nc?.EndpointsConfig ?? {};
}

export function setEndpointsConfig(c: ContainerRecord, eps: Record<string, EndpointConfig>): void {
  (c as { networkingConfig?: Networking }).networkingConfig = { EndpointsConfig: eps };
}

/** Containers whose first network is user-defined get Docker's 127.0.0.11 resolver (it needs the daemon's NAT table). */
export function usesEmbeddedDns(net: NetworkRecord | undefined, iptables: boolean): boolean {
  return !!net && !net.predefined && iptables;
}

export function netnsName(containerId: string): string {
  return `wh-${containerId.slice(0, 16)}`;
}

/**
 * Container endpoints: a named netns per running container, one veth and
 * address per network, published ports. Everything made here is recorded in
 * the container's sandbox file first, so teardown (and a crashed daemon's
 * reconcile) knows what to remove.
 */
export class Endpoints {
  private readonly proxies = new Map<string, RunningProxy[]>();
  private readonly lastIp = new Map<string, number>();

  constructor(private readonly nets: NetworkService, private readonly containers: ContainerLookup) {}

  private get store() {
    return this.nets.store;
  }

  private get cfg() {
    return this.nets.ctx.cfg;
  }

  /** Create the sandbox and plug every configured network; returns the netns path. */
  async setup(c: ContainerRecord): Promise<string> {
    await this.teardown(c.id);
    const sb: SandboxRecord = { containerId: c.id, netns: netnsName(c.id), endpoints: [], ports: [] };
    await this.store.saveSandbox(sb);
    try {
      const wantedNets = Object.entries(endpointsConfig(c));
      // plug() brings lo up in its own batch inside the netns.
      await addNetns(sb.netns, wantedNets.length === 0);
      for (const [name, cfg] of wantedNets) {
        const net = this.store.findNetwork(cfg.NetworkID || name) ?? this.store.findNetwork(name);
        if (!net) throw new NotFoundError(`failed to set up container networking: network ${name} not found`);
        await this.plug(c, sb, net, cfg);
      }
      const primary = sb.endpoints[0];
      const wanted = wantedBindings(c, hasIpv6());
      if (primary && wanted.length) {
        const forward = this.cfg.userlandProxy || !this.cfg.iptables;
        const { mappings, proxies } = await publishPorts(wanted, { containerIp: primary.ip, forward, ipv6: hasIpv6(), endpointName: c.name.slice(1), endpointId: primary.endpointId });
        this.proxies.set(c.id, proxies);
        sb.ports = mappings;
        await this.store.saveSandbox(sb);
        // The ruleset depends only on networks and published ports: rebuild it only when ports changed.
        await this.nets.refreshFirewall();
      }
    } catch (err) {
      await this.teardown(c.id);
      throw err;
    }
    return `/run/netns/${sb.netns}`;
  }

  private async plug(c: ContainerRecord, sb: SandboxRecord, net: NetworkRecord, cfg: EndpointConfig): Promise<EndpointRecord> {
    const ipam = net.IPAM.Config[0];
    const subnet = parseCidr(ipam.Subnet);
    const used = new Set<number>([ipToInt(ipam.Gateway)]);
    for (const s of this.store.allSandboxes()) for (const e of s.endpoints) if (e.networkId === net.Id) used.add(ipToInt(e.ip));
    let ip: number | undefined;
    const want = cfg.IPAMConfig?.IPv4Address;
    if (want) {
      ip = ipToInt(want);
      if (!contains(subnet, ip)) throw new InvalidArgumentError(`no configured subnet or ip-range contain the IP address ${want}`);
      if (used.has(ip)) throw new ConflictError(`Address already in use`);
    } else {
      ip = allocateIp(subnet, used, ipam.IPRange ? parseCidr(ipam.IPRange) : undefined, this.lastIp.get(net.Id));
      if (ip === undefined) throw new ConflictError(`no available IPv4 addresses on this network's address pools: ${net.Name} (${net.Id})`);
      this.lastIp.set(net.Id, ip);
    }
    const v6 = this.allocateIp6(net, cfg);
    const user = !net.predefined;
    const shortId = c.id.slice(0, 12);
    const aliases = [...(cfg.Aliases ?? [])];
    const ep: EndpointRecord = {
      networkId: net.Id,
      endpointId: newId(),
      ifname: `eth${sb.endpoints.length}`,
      hostVeth: `veth${randomBytes(4).toString("hex").slice(0, 7)}`,
      ip: intToIp(ip),
      prefix: subnet.prefix,
      gateway: ipam.Gateway,
      mac: cfg.MacAddress || macForIp(ip),
      ...(v6 ? { ip6: v6.ip, prefix6: v6.prefix, gateway6: v6.gateway } : {}),
      aliases,
      // dockerd's order: name, aliases, short ID, hostname (the default hostname is the short ID), once each.
      dnsNames: user ? [...new Set([c.name.slice(1), ...aliases, shortId, ...(c.config.Hostname ? [c.config.Hostname] : [])])] : [],
    };
    sb.endpoints.push(ep);
    await this.store.saveSandbox(sb);
    await plugVeth({
      netns: sb.netns,
      hostVeth: ep.hostVeth,
      ifname: ep.ifname,
      bridge: net.bridge!,
      ipCidr: `${ep.ip}/${ep.prefix}`,
      mac: ep.mac,
      gateway: sb.endpoints.length === 1 && !net.Internal ? ep.gateway : undefined,
      dnsVia: sb.endpoints.length === 1 && usesEmbeddedDns(net, this.cfg.iptables) ? ep.gateway : undefined,
      ip6Cidr: ep.ip6 ? `${ep.ip6}/${ep.prefix6}` : undefined,
      gateway6: sb.endpoints.length === 1 && !net.Internal ? ep.gateway6 : undefined,
      mtu: Number(net.Options["com.docker.network.driver.mtu"]) || undefined,
      hairpin: !this.cfg.userlandProxy,
    });
    return ep;
  }

  /** The endpoint's IPv6 address on a network with IPv6: the one asked for (`--ip6`), else the next free one. */
  private allocateIp6(net: NetworkRecord, cfg: EndpointConfig): { ip: string; prefix: number; gateway: string } | undefined {
    const want = cfg.IPAMConfig?.IPv6Address;
    const pool = ipv6Config(net);
    if (!pool) {
      if (want) throw new InvalidArgumentError(`network ${net.Name} has no IPv6: create it with --ipv6 to use --ip6`);
      return undefined;
    }
    const subnet = parseCidr6(pool.Subnet);
    const used = new Set<string>([canonicalIp6(pool.Gateway)]);
    for (const s of this.store.allSandboxes()) for (const e of s.endpoints) if (e.networkId === net.Id && e.ip6) used.add(e.ip6);
    let ip: string;
    if (want) {
      ip = canonicalIp6(want);
      if (!contains6(subnet, ip6ToBig(ip))) throw new InvalidArgumentError(`no configured subnet or ip-range contain the IP address ${want}`);
      if (used.has(ip)) throw new ConflictError("Address already in use");
    } else {
      const got = allocateIp6(subnet, used, pool.IPRange ? parseCidr6(pool.IPRange) : undefined);
      if (got === undefined) throw new ConflictError(`no available IPv6 addresses on this network's address pools: ${net.Name} (${net.Id})`);
      ip = bigToIp6(got);
    }
    return { ip, prefix: subnet.prefix, gateway: pool.Gateway };
  }

  /** Remove everything of a container's sandbox; idempotent. */
  async teardown(containerId: string): Promise<void> {
    for (const p of this.proxies.get(containerId) ?? []) await p.close();
    this.proxies.delete(containerId);
    const sb = this.store.sandbox(containerId);
    if (!sb) return;
    // Deleting the netns destroys its veths and their host peers; unplug only if the netns is gone already.
    if (!(await netnsExists(sb.netns))) for (const e of sb.endpoints) await unplugVeth(e.hostVeth);
    await deleteNetns(sb.netns);
    await this.store.deleteSandbox(containerId);
    if (sb.ports.length) await this.nets.refreshFirewall();
  }

  /** Daemon shutdown: release every published port the daemon listens on (a restart re-opens those of running containers). */
  async closeProxies(): Promise<void> {
    for (const list of this.proxies.values()) for (const p of list) await p.close().catch(() => undefined);
    this.proxies.clear();
  }

  /** After a daemon restart the container still runs: listen on its published ports again. */
  async restore(c: ContainerRecord): Promise<void> {
    const sb = this.store.sandbox(c.id);
    if (!sb?.endpoints.length || this.proxies.has(c.id)) return;
    this.proxies.set(c.id, await reopenProxies(sb.ports, sb.endpoints[0].ip, this.cfg.userlandProxy || !this.cfg.iptables));
  }

  async connect(netRef: string, c: ContainerRecord, cfg: EndpointConfig): Promise<void> {
    const net = this.store.getNetwork(netRef);
    const mode = c.hostConfig.NetworkMode ?? "bridge";
    if (mode === "host" || mode === "none" || mode.startsWith("container:")) {
      throw new ForbiddenError("container sharing network namespace with another container or host cannot be connected to any other network");
    }
    if (net.Driver !== "bridge") throw new ForbiddenError(`container cannot be disconnected from host network or connected to host network`);
    const eps = endpointsConfig(c);
    if (Object.entries(eps).some(([n, e]) => n === net.Name || e.NetworkID === net.Id)) throw new ForbiddenError(`endpoint with name ${c.name.slice(1)} already exists in network ${net.Name}`);
    if ((cfg.IPAMConfig?.IPv4Address || cfg.IPAMConfig?.IPv6Address) && net.predefined) throw new InvalidArgumentError("user specified IP address is supported on user defined networks only");
    const sb = this.store.sandbox(c.id);
    if (sb) await this.plug(c, sb, net, cfg);
    eps[net.Name] = { ...cfg, NetworkID: net.Id };
    setEndpointsConfig(c, eps);
    await this.containers.save(c);
  }

  async disconnect(netRef: string, c: ContainerRecord): Promise<void> {
    const net = this.store.getNetwork(netRef);
    const eps = endpointsConfig(c);
    const key = Object.keys(eps).find((n) => n === net.Name || eps[n].NetworkID === net.Id);
    if (!key) throw new ForbiddenError(`container ${c.id} is not connected to network ${net.Name}`);
    const sb = this.store.sandbox(c.id);
    const ep = sb?.endpoints.find((e) => e.networkId === net.Id);
    if (sb && ep) {
      await unplugVeth(ep.hostVeth);
      sb.endpoints = sb.endpoints.filter((e) => e !== ep);
      await this.store.saveSandbox(sb);
    }
    delete eps[key];
    setEndpointsConfig(c, eps);
    await this.containers.save(c);
  }

  /** The networks of the container with address `clientIp` on `networkId` (just that network for an unknown client). */
  private networksSeenFrom(networkId: string, clientIp: string): NetworkRecord[] {
    const sb = this.sandboxOfIp(networkId, clientIp);
    const ids = sb ? sb.endpoints.map((e) => e.networkId) : [networkId];
    return ids.map((id) => this.store.findNetwork(id)).filter((n): n is NetworkRecord => !!n && !n.predefined);
  }

  /** A/AAAA data for `name` (a container name, alias or short ID, optionally `.<network>`); undefined when unknown. */
  resolveName(networkId: string, clientIp: string, name: string): { v4: string[]; v6: string[] } | undefined {
    const want = name.toLowerCase();
    const v4 = new Set<string>();
    const v6 = new Set<string>();
    let found = false;
    // On a user-defined network a legacy link's alias is a name only its parent resolves.
    const client = this.sandboxOfIp(networkId, clientIp);
    const link = parseLinks(client && this.containers.find(client.containerId)?.hostConfig.Links).find((l) => l.alias.toLowerCase() === want);
    const linked = link && this.containers.find(link.child);
    for (const net of this.networksSeenFrom(networkId, clientIp)) {
      if (linked) {
        for (const e of this.store.sandbox(linked.id)?.endpoints ?? []) {
          if (e.networkId !== net.Id) continue;
          found = true;
          v4.add(e.ip);
          if (e.ip6) v6.add(e.ip6);
        }
      }
      const suffix = `.${net.Name.toLowerCase()}`;
      for (const sb of this.store.allSandboxes()) {
        for (const e of sb.endpoints) {
          if (e.networkId !== net.Id || !e.dnsNames.some((d) => d.toLowerCase() === want || d.toLowerCase() + suffix === want)) continue;
          found = true;
          v4.add(e.ip);
          if (e.ip6) v6.add(e.ip6);
        }
      }
    }
    return found ? { v4: [...v4], v6: [...v6] } : undefined;
  }

  /** `<container name>.<network>` for a container address on one of the asking container's networks. */
  reverseName(networkId: string, clientIp: string, ip: string): string | undefined {
    for (const net of this.networksSeenFrom(networkId, clientIp)) {
      for (const sb of this.store.allSandboxes()) {
        const e = sb.endpoints.find((x) => x.networkId === net.Id && (x.ip === ip || x.ip6 === ip));
        if (e?.dnsNames[0]) return `${e.dnsNames[0]}.${net.Name}`;
      }
    }
    return undefined;
  }

  sandboxOfIp(networkId: string, ip: string): SandboxRecord | undefined {
    return this.store.allSandboxes().find((s) => s.endpoints.some((e) => e.networkId === networkId && (e.ip === ip || e.ip6 === ip)));
  }
}
