import path from "node:path";
import { existsSync } from "node:fs";
import { ConflictError, ForbiddenError, InvalidArgumentError, NotFoundError, NotImplementedError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { log } from "../../lib/log.js";
import { matchLabels, parseTimestamp, validateFilterKeys, type Filters } from "../../lib/filters.js";
import { contains, formatCidr, intToIp, ipToInt, overlaps, parseCidr, poolSubnets } from "../../network/ipam.js";
import { chooseFreeSubnet, deleteLink, ensureBridge, ensureBridgeV6, bridgeAddress, withSubnetLock, bridgePorts } from "../../network/bridge.js";
import { usedHostPrefixes6, writeSysctl } from "../../network/host-net.js";
import { bigToIp6, canonicalIp6, contains6, formatCidr6, ip6ToBig, overlaps6, parseCidr6, pickUlaSubnet } from "../../network/ipam6.js";
import { applyRuleset, deleteTable, type FirewallState } from "../../network/nat-rules.js";
import { unplugVeth } from "../../network/veth.js";
import { EmbeddedDns } from "../../network/dns-server.js";
import { NetworkStore } from "./network-store.js";
import { networkView } from "./network-views.js";
import type { IpamConfig, NetworkRecord } from "./types.js";
import type { NetworkContext, NetworkCreateRequest } from "./context.js";

const PREDEFINED = ["bridge", "host", "none"];

/**
 * Networks: the predefined three, user-defined bridge networks, their host
 * bridges, the daemon's nftables table and one embedded DNS server per user
 * network. Container endpoints are in Endpoints (endpoints.ts).
 */
export class NetworkService {
  private readonly dns = new Map<string, EmbeddedDns>();

  constructor(readonly ctx: NetworkContext) {}

  get store(): NetworkStore {
    return this.ctx.store;
  }

  /** Daemon start: load, (re)create bridges, drop stale veths, rebuild the NAT table, start DNS servers. */
  async init(): Promise<void> {
    const { cfg } = this.ctx;
    await this.store.load();
    if (cfg.ipForward) await writeSysctl("net.ipv4.ip_forward", "1").catch((err) => log.warn("cannot enable ip_forward", { error: String(err) }));
    await this.ensurePredefined();
    const known = new Set(this.store.allSandboxes().flatMap((s) => s.endpoints.map((e) => e.hostVeth)));
    for (const n of this.store.allNetworks()) {
      if (!n.bridge) continue;
      await ensureBridge(n.bridge, `${n.IPAM.Config[0].Gateway}/${parseCidr(n.IPAM.Config[0].Subnet).prefix}`, mtuOf(n));
      const v6 = ipv6Config(n);
      if (v6) await ensureBridgeV6(n.bridge, `${v6.Gateway}/${parseCidr6(v6.Subnet).prefix}`).catch((err) => log.warn("bridge IPv6 address", { bridge: n.bridge, error: String(err) }));
      if (cfg.iptables && !cfg.userlandProxy) await writeSysctl(`net.ipv4.conf.${n.bridge}.route_localnet`, "1").catch(() => undefined);
      for (const port of await bridgePorts(n.bridge)) if (!known.has(port)) await unplugVeth(port);
      if (!n.predefined) await this.startDns(n);
    }
    await this.refreshFirewall();
  }

  /** `--bridge none` (dockerd's `-b none`): no default bridge network at all. */
  get bridgeDisabled(): boolean {
    return this.ctx.cfg.bridge === "none";
  }

  private async ensurePredefined(): Promise<void> {
    const { cfg } = this.ctx;
    for (const name of PREDEFINED) {
      if (name === "bridge" && this.bridgeDisabled) continue;
      if (this.store.allNetworks().some((n) => n.predefined && n.Name === name)) continue;
      await this.store.saveNetwork(blankNetwork(name, name === "none" ? "null" : (name as "bridge" | "host"), true));
    }
    const bridge = this.store.allNetworks().find((n) => n.predefined && n.Name === "bridge");
    if (this.bridgeDisabled) {
      // A default bridge recorded by an earlier run goes away from the API; its host interface is left alone.
      if (bridge) await this.store.deleteNetwork(bridge.Id);
      return;
    }
    if (!bridge) throw new Error("the default bridge network record is missing");
    const ifname = cfg.bridge || "wharf0";
    let gwCidr = cfg.bip;
    const cur = bridge.IPAM.Config[0];
    if (!gwCidr && bridge.bridge === ifname && cur) gwCidr = `${cur.Gateway}/${parseCidr(cur.Subnet).prefix}`;
    await withSubnetLock(async () => {
      gwCidr ??= await bridgeAddress(ifname);
      if (!gwCidr) {
        const sub = await chooseFreeSubnet(this.takenSubnets(), poolSubnets(this.ctx.cfg.addressPools ?? []));
        gwCidr = `${intToIp(sub.base + 1)}/${sub.prefix}`;
      }
      const [gw] = gwCidr.split("/");
      bridge.IPAM.Config = [{ Subnet: formatCidr(parseCidr(gwCidr)), Gateway: gw }];
      bridge.bridge = ifname;
      bridge.Options = {
        "com.docker.network.bridge.default_bridge": "true",
        "com.docker.network.bridge.enable_icc": "true",
        "com.docker.network.bridge.enable_ip_masquerade": "true",
        "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
        "com.docker.network.bridge.name": ifname,
        "com.docker.network.driver.mtu": String(cfg.mtu ?? 1500),
      };
      await ensureBridge(ifname, gwCidr, cfg.mtu);
      await this.store.saveNetwork(bridge);
    });
  }

  private takenSubnets(): string[] {
    return this.store.allNetworks().flatMap((n) => n.IPAM.Config.map((c) => c.Subnet)).filter((c) => !c.includes(":"));
  }

  /** The IPv6 pool of a new network: the one asked for, else a free unique local /64. Call under the subnet lock. */
  private async ipv6Pool(want: Partial<IpamConfig> | undefined): Promise<IpamConfig> {
    const networks6 = this.store.allNetworks().flatMap((n) => n.IPAM.Config.map((c) => c.Subnet)).filter((c) => c.includes(":")).map((c) => parseCidr6(c));
    let subnet;
    if (want?.Subnet) {
      subnet = parseCidr6(want.Subnet, true);
      if (networks6.some((t) => overlaps6(t, subnet!))) throw new ForbiddenError("invalid pool request: Pool overlaps with other one on this address space");
    } else {
      subnet = pickUlaSubnet(this.ctx.table, [...networks6, ...(await usedHostPrefixes6()).map((p) => parseCidr6(p))]);
    }
    const gateway = want?.Gateway ? canonicalIp6(want.Gateway) : bigToIp6(subnet.base + 1n);
    if (!contains6(subnet, ip6ToBig(gateway))) throw new InvalidArgumentError(`invalid gateway ${gateway}: not in subnet ${formatCidr6(subnet)}`);
    if (want?.IPRange) {
      const r = parseCidr6(want.IPRange);
      if (!contains6(subnet, r.base) || r.prefix < subnet.prefix) throw new InvalidArgumentError(`invalid ip-range ${want.IPRange}: not in subnet ${formatCidr6(subnet)}`);
    }
    return { Subnet: formatCidr6(subnet), Gateway: gateway, ...(want?.IPRange ? { IPRange: want.IPRange } : {}) };
  }

  /** The default `bridge` network; undefined with `--bridge none`. */
  defaultBridge(): NetworkRecord | undefined {
    return this.store.allNetworks().find((n) => n.predefined && n.Name === "bridge");
  }

  /** The nft table is a function of networks and sandboxes: rebuild it whole after every change. */
  async refreshFirewall(): Promise<void> {
    const { cfg } = this.ctx;
    if (!cfg.iptables) return;
    const nets = this.store.allNetworks().filter((n) => n.bridge);
    const state: FirewallState = {
      table: this.ctx.table,
      userlandProxy: cfg.userlandProxy,
      networks: nets.map((n) => ({
        bridge: n.bridge!,
        subnet: n.IPAM.Config[0].Subnet,
        internal: n.Internal,
        icc: n.Options["com.docker.network.bridge.enable_icc"] !== "false" && !(n.predefined && cfg.icc === false),
        masquerade: n.Options["com.docker.network.bridge.enable_ip_masquerade"] !== "false",
        dns: n.predefined ? undefined : n.IPAM.Config[0].Gateway,
        subnet6: ipv6Config(n)?.Subnet,
      })),
      ports: [],
    };
    for (const sb of this.store.allSandboxes()) {
      const ep = sb.endpoints[0];
      const net = ep && this.store.findNetwork(ep.networkId);
      if (!net?.bridge) continue;
      for (const p of sb.ports) {
        if (p.hostIp.includes(":")) continue;
        state.ports.push({ proto: p.proto, hostIp: p.hostIp, hostPort: p.hostPort, containerIp: ep.ip, containerPort: p.containerPort, bridge: net.bridge });
      }
    }
    await applyRuleset(state);
  }

  private async startDns(n: NetworkRecord): Promise<void> {
    if (this.dns.has(n.Id)) return;
    const server = new EmbeddedDns(n.IPAM.Config[0].Gateway, {
      resolve: (client, name) => this.ctx.resolveName(n.Id, client, name),
      reverse: (client, ip) => this.ctx.reverseName(n.Id, client, ip),
      upstreams: (ip) => this.ctx.upstreamsFor(n.Id, ip),
    });
    try {
      await server.start();
      this.dns.set(n.Id, server);
    } catch (err) {
      log.warn("embedded DNS server did not start", { network: n.Name, error: String(err) });
    }
  }

  /** `allowDuplicate`: an old client (API < 1.44) without CheckDuplicate gets a second network of that name and a warning. */
  async create(req: NetworkCreateRequest, how: { allowDuplicate?: boolean } = {}): Promise<{ Id: string; Warning: string }> {
    const name = req.Name;
    if (!name) throw new InvalidArgumentError("invalid name: name is required");
    if (PREDEFINED.includes(name)) throw new ForbiddenError(`operation is not permitted on predefined ${name} network `);
    const same = this.store.allNetworks().find((n) => n.Name === name);
    if (same && !how.allowDuplicate) throw new ConflictError(`network with name ${name} already exists`);
    const warning = same ? `Network with name ${name} (id : ${same.Id}) already exists` : "";
    const driver = req.Driver || "bridge";
    if (driver === "host" || driver === "null") throw new ForbiddenError(`only one instance of "${driver}" network is allowed`);
    if (driver !== "bridge") throw new NotFoundError(`plugin "${driver}" not found`);
    const ipamAll = req.IPAM?.Config ?? [];
    const isV6 = (c: Partial<IpamConfig>) => [c.Subnet, c.Gateway, c.IPRange].some((v) => v?.includes(":"));
    const ipamIn = ipamAll.filter((c) => !isV6(c));
    const enableV6 = req.EnableIPv6 ?? req.Options?.["com.docker.network.enable_ipv6"] === "true";
    // As dockerd: IPv6 pools are ignored unless the network has IPv6 enabled.
    const ipam6In = enableV6 ? ipamAll.filter(isV6) : [];
    if (ipamIn.length > 1 || ipam6In.length > 1) throw new NotImplementedError("wharf supports one IPv4 and one IPv6 subnet per network");
    const opts = { ...(req.Options ?? {}) };
    const n = blankNetwork(name, "bridge", false);
    n.Internal = !!req.Internal;
    n.Attachable = !!req.Attachable;
    n.Labels = req.Labels ?? {};
    n.Options = opts;
    n.IPAM = { Driver: req.IPAM?.Driver || "default", Options: req.IPAM?.Options ?? {}, Config: [] };
    n.bridge = opts["com.docker.network.bridge.name"] || `br-${n.Id.slice(0, 12)}`;
    if (n.bridge.length > 15) throw new InvalidArgumentError(`bridge name ${n.bridge} is longer than 15 characters`);
    n.ownsBridge = true;
    await withSubnetLock(async () => {
      const want = ipamIn[0];
      let subnet;
      if (want?.Subnet) {
        subnet = parseCidr(want.Subnet);
        for (const t of this.takenSubnets()) {
          if (overlaps(parseCidr(t), subnet)) throw new ForbiddenError("invalid pool request: Pool overlaps with other one on this address space");
        }
      } else subnet = await chooseFreeSubnet(this.takenSubnets(), poolSubnets(this.ctx.cfg.addressPools ?? []));
      const gateway = want?.Gateway || intToIp(subnet.base + 1);
      if (!contains(subnet, ipToInt(gateway))) throw new InvalidArgumentError(`invalid gateway ${gateway}: not in subnet ${formatCidr(subnet)}`);
      if (want?.IPRange) {
        const r = parseCidr(want.IPRange);
        if (!contains(subnet, r.base) || r.prefix < subnet.prefix) throw new InvalidArgumentError(`invalid ip-range ${want.IPRange}: not in subnet ${formatCidr(subnet)}`);
      }
      n.IPAM.Config = [{ Subnet: formatCidr(subnet), Gateway: gateway, ...(want?.IPRange ? { IPRange: want.IPRange } : {}) }];
      if (enableV6) n.IPAM.Config.push(await this.ipv6Pool(ipam6In[0]));
      n.EnableIPv6 = enableV6;
      await ensureBridge(n.bridge!, `${gateway}/${subnet.prefix}`, mtuOf(n));
      const v6 = ipv6Config(n);
      if (v6) await ensureBridgeV6(n.bridge!, `${v6.Gateway}/${parseCidr6(v6.Subnet).prefix}`);
      await this.store.saveNetwork(n);
    });
    if (this.ctx.cfg.iptables && !this.ctx.cfg.userlandProxy) await writeSysctl(`net.ipv4.conf.${n.bridge}.route_localnet`, "1").catch(() => undefined);
    await this.refreshFirewall();
    await this.startDns(n);
    this.ctx.events.publish("network", "create", n.Id, { name: n.Name, type: "bridge" });
    return { Id: n.Id, Warning: warning };
  }

  /**
   * A swarm overlay network as this node realises it: a local bridge (the
   * cluster layer plugs the VXLAN device into it) holding this node's address
   * on the network, an embedded DNS server there, and a record so containers
   * attach to it like to any network. Idempotent.
   */
  async registerOverlay(o: { id: string; name: string; subnet: string; gateway: string; localIp: string; bridge: string; labels: Record<string, string>; options: Record<string, string>; attachable: boolean; internal: boolean; ingress: boolean; created: string }): Promise<void> {
    const prefix = parseCidr(o.subnet).prefix;
    const have = this.store.findNetwork(o.id);
    await ensureBridge(o.bridge, `${o.localIp}/${prefix}`, 1450);
    if (have && have.IPAM.Config[0]?.Gateway === o.localIp) return;
    const n = blankNetwork(o.name, "overlay", false);
    Object.assign(n, {
      Id: o.id, Created: o.created, Scope: "swarm", EnableIPv4: true, Attachable: o.attachable, Internal: o.internal, Labels: o.labels,
      Options: { ...o.options, "com.docker.network.driver.mtu": "1450" }, bridge: o.bridge, ownsBridge: true, ingress: o.ingress, clusterGateway: o.gateway,
      IPAM: { Driver: "default", Options: null, Config: [{ Subnet: o.subnet, Gateway: o.localIp }] },
    });
    await this.store.saveNetwork(n);
    await this.refreshFirewall();
    await this.startDns(n);
  }

  /** The overlay left the cluster (or this node left): drop the local side. */
  async unregisterOverlay(id: string): Promise<void> {
    const n = this.store.findNetwork(id);
    if (!n || n.Driver !== "overlay") return;
    await this.dns.get(n.Id)?.stop();
    this.dns.delete(n.Id);
    if (n.bridge) await deleteLink(n.bridge);
    await this.store.deleteNetwork(n.Id);
    await this.refreshFirewall();
  }

  async remove(ref: string): Promise<void> {
    const n = this.store.getNetwork(ref);
    if (n.predefined) throw new ForbiddenError(`${n.Name} is a pre-defined network and cannot be removed`);
    const active = this.store.allSandboxes().filter((s) => s.endpoints.some((e) => e.networkId === n.Id));
    if (active.length) throw new ConflictError(`error while removing network: network ${n.Name} id ${n.Id} has active endpoints`);
    await this.dns.get(n.Id)?.stop();
    this.dns.delete(n.Id);
    if (n.ownsBridge && n.bridge) await deleteLink(n.bridge);
    await this.store.deleteNetwork(n.Id);
    await this.refreshFirewall();
    this.ctx.events.publish("network", "destroy", n.Id, { name: n.Name, type: "bridge" });
  }

  async prune(filters: Filters): Promise<{ NetworksDeleted: string[] }> {
    validateFilterKeys(filters, ["until", "label", "label!"]);
    const until = filters.get("until")?.[0];
    const untilMs = until ? parseTimestamp(until) : undefined;
    const deleted: string[] = [];
    for (const n of this.store.allNetworks()) {
      if (n.predefined || this.store.allSandboxes().some((s) => s.endpoints.some((e) => e.networkId === n.Id))) continue;
      if (untilMs !== undefined && Date.parse(n.Created) >= untilMs) continue;
      if (!matchLabels(n.Labels, filters.get("label"))) continue;
      const not = filters.get("label!");
      if (not?.length && not.some((l) => matchLabels(n.Labels, [l]))) continue;
      await this.remove(n.Id);
      deleted.push(n.Name);
    }
    return { NetworksDeleted: deleted };
  }

  list(filters: Filters): unknown[] {
    validateFilterKeys(filters, ["driver", "id", "label", "name", "scope", "type", "dangling"]);
    return this.store
      .allNetworks()
      .filter((n) => {
        const f = (k: string) => filters.get(k) ?? [];
        if (f("driver").length && !f("driver").includes(n.Driver)) return false;
        if (f("id").length && !f("id").some((i) => n.Id.startsWith(i))) return false;
        if (f("name").length && !f("name").some((x) => n.Name.includes(x))) return false;
        if (f("scope").length && !f("scope").includes(n.Scope)) return false;
        if (f("type").length && !f("type").includes(n.predefined ? "builtin" : "custom")) return false;
        if (!matchLabels(n.Labels, filters.get("label"))) return false;
        return true;
      })
      .sort((a, b) => a.Name.localeCompare(b.Name))
      .map((n) => networkView(n, {}));
  }

  inspect(ref: string): unknown {
    const n = this.store.getNetwork(ref);
    return networkView(n, this.ctx.containersOn(n.Id));
  }

  /** Daemon shutdown: stop DNS servers (bridges stay, like dockerd's; the table is removeFirewall's). */
  async close(): Promise<void> {
    for (const d of this.dns.values()) await d.stop();
    this.dns.clear();
  }

  /** Delete the daemon's nftables table (when no container needs it any more); the next start rebuilds it. */
  async removeFirewall(): Promise<void> {
    if (this.ctx.cfg.iptables) await deleteTable(this.ctx.table);
  }

  static tableName(dataRoot: string): string {
    let h = 0;
    for (const ch of path.resolve(dataRoot)) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    return `wharf_${h.toString(16)}`;
  }

  static async purge(table: string): Promise<void> {
    await deleteTable(table);
  }
}

/** The network's IPv6 pool, when it has IPv6 enabled. */
export function ipv6Config(n: NetworkRecord): IpamConfig | undefined {
  return n.EnableIPv6 ? n.IPAM.Config.find((c) => c.Subnet.includes(":")) : undefined;
}

function mtuOf(n: NetworkRecord): number | undefined {
  const m = Number(n.Options["com.docker.network.driver.mtu"]);
  return m > 0 ? m : undefined;
}

function blankNetwork(name: string, driver: NetworkRecord["Driver"], predefined: boolean): NetworkRecord {
  return {
    Name: name,
    Id: newId(),
    Created: new Date().toISOString(),
    Scope: "local",
    Driver: driver,
    EnableIPv4: driver === "bridge",
    EnableIPv6: false,
    IPAM: { Driver: "default", Options: null, Config: [] },
    Internal: false,
    Attachable: false,
    Options: {},
    Labels: {},
    predefined,
  };
}

export const hasIpv6 = () => existsSync("/proc/net/if_inet6");
