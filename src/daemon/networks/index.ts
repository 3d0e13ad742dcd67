import path from "node:path";
import type { Filters } from "../../lib/filters.js";
import { isRunning } from "../containers/state.js";
import type { ContainerRecord } from "../containers/types.js";
import type { AttachedContainer, EventSink, NetworkConfig, NetworkContext, NetworkCreateRequest } from "./context.js";
import { Endpoints, type ContainerLookup } from "./endpoints.js";
import { hostNameservers } from "../containers/etc-content.js";
import { NetworkExtension } from "./network-extension.js";
import { NetworkService } from "./network-service.js";
import { NetworkStore } from "./network-store.js";
import type { EndpointConfig } from "./types.js";

export interface ContainerSource extends ContainerLookup {
  all(): ContainerRecord[];
  dir(id: string): string;
  get(ref: string): ContainerRecord;
}

/**
 * Networking as the daemon sees it: `init()` before containers are restored,
 * `sweep()` after (tears down sandboxes of containers that are not running),
 * the container extension, and the operations the /networks routes call.
 */
export class Networking {
  readonly service: NetworkService;
  readonly endpoints: Endpoints;
  readonly extension: NetworkExtension;
  /** Swarm service names (VIPs, tasks) on overlay networks, asked when no local container answers. */
  clusterResolver?: (networkId: string, name: string) => string[];

  constructor(cfg: NetworkConfig, dataRoot: string, private readonly containers: ContainerSource, events: EventSink) {
    const store = new NetworkStore(path.join(dataRoot, "network"));
    const ctx: NetworkContext = {
      cfg,
      store,
      table: NetworkService.tableName(dataRoot),
      events,
      containersOn: (id) => this.containersOn(id),
      resolveName: (id, client, name) => {
        const local = this.endpoints.resolveName(id, client, name);
        if (local || !this.clusterResolver) return local;
        const v4 = this.clusterResolver(id, name);
        return v4.length ? { v4, v6: [] } : undefined;
      },
      reverseName: (id, client, ip) => this.endpoints.reverseName(id, client, ip),
      upstreamsFor: (id, ip) => {
        const sb = this.endpoints.sandboxOfIp(id, ip);
        const dns = sb && containers.find(sb.containerId)?.hostConfig.Dns;
        return dns?.length ? dns : cfg.dns?.dns.length ? cfg.dns.dns : hostNameservers();
      },
    };
    this.service = new NetworkService(ctx);
    this.endpoints = new Endpoints(this.service, containers);
    this.extension = new NetworkExtension(this.service, this.endpoints, containers);
  }

  init(): Promise<void> {
    return this.service.init();
  }

  async sweep(): Promise<void> {
    for (const sb of this.service.store.allSandboxes()) {
      const c = this.containers.find(sb.containerId);
      if (!c || !isRunning(c.state.status)) await this.endpoints.teardown(sb.containerId);
    }
  }

  private containersOn(networkId: string): Record<string, AttachedContainer> {
    const out: Record<string, AttachedContainer> = {};
    for (const sb of this.service.store.allSandboxes()) {
      const ep = sb.endpoints.find((e) => e.networkId === networkId);
      if (!ep) continue;
      out[sb.containerId] = { Name: this.containers.find(sb.containerId)?.name.slice(1) ?? "", EndpointID: ep.endpointId, MacAddress: ep.mac, IPv4Address: `${ep.ip}/${ep.prefix}`, IPv6Address: ep.ip6 ? `${ep.ip6}/${ep.prefix6}` : "" };
    }
    return out;
  }

  // ---- what the /networks routes call ----
  list(filters: Filters) {
    return this.service.list(filters);
  }
  inspect(ref: string) {
    return this.service.inspect(ref);
  }
  create(req: NetworkCreateRequest, opts: { allowDuplicate?: boolean } = {}) {
    return this.service.create(req, opts);
  }
  remove(ref: string) {
    return this.service.remove(ref);
  }
  prune(filters: Filters) {
    return this.service.prune(filters);
  }
  async connect(ref: string, container: string, cfg: EndpointConfig) {
    const c = this.containers.get(container);
    const net = this.service.store.getNetwork(ref);
    await this.endpoints.connect(ref, c, cfg ?? {});
    this.service.ctx.events.publish("network", "connect", net.Id, { container: c.id, name: net.Name, type: net.Driver });
  }
  async disconnect(ref: string, container: string) {
    const c = this.containers.get(container);
    const net = this.service.store.getNetwork(ref);
    await this.endpoints.disconnect(ref, c);
    this.service.ctx.events.publish("network", "disconnect", net.Id, { container: c.id, name: net.Name, type: net.Driver });
  }
  /**
   * Daemon shutdown: DNS servers and proxies stop; sandboxes of containers
   * that no longer run are torn down. With no container left running, the
   * daemon's netfilter table goes too (nothing needs its NAT); with running
   * containers (live-restore) the table stays as they need it.
   */
  async close(): Promise<void> {
    await this.service.close();
    await this.endpoints.closeProxies();
    await this.sweep().catch(() => undefined);
    const running = this.containers.all().some((c) => isRunning(c.state.status));
    if (!running) await this.service.removeFirewall();
  }
}
