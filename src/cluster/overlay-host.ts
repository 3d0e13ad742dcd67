import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { errorMessage } from "../lib/errors.js";
import { log } from "../lib/log.js";
import type { NodeRecord } from "./objects.js";
import { allocateAddress, listOverlays, type OverlayNetworkRecord } from "./overlay-networks.js";
import type { ClusterComponent, Session } from "./swarm.js";
import { CoalescingRunner } from "../lib/coalescing-runner.js";

const exec = promisify(execFile);

/** The engine's side of overlays (implemented by the daemon's network service). */
export interface LocalOverlays {
  register(o: { id: string; name: string; subnet: string; gateway: string; localIp: string; bridge: string; labels: Record<string, string>; options: Record<string, string>; attachable: boolean; internal: boolean; ingress: boolean; created: string }): Promise<void>;
  unregister(id: string): Promise<void>;
  /** IDs of the overlay networks registered on this node. */
  registered(): string[];
}

export const bridgeOf = (n: OverlayNetworkRecord) => `wov${n.vni}`;
const vxlanOf = (n: OverlayNetworkRecord) => `wvx${n.vni}`;

async function ip(args: string[]): Promise<string> {
  return (await exec("ip", args)).stdout;
}

/**
 * Realises every overlay network on this node: a bridge holding this
 * node's address on the network, and a kernel VXLAN device (one VNI per
 * network, UDP 4789 on the node's data-path address) plugged into it, with
 * one flood entry per peer node, so containers on any node share one L2
 * segment. Follows network and node changes in etcd.
 */
export class OverlayHost implements ClusterComponent {
  private session?: Session;
  private stops: (() => Promise<void>)[] = [];
  private timer?: NodeJS.Timeout;
  /** One sync at a time; requests during a sync share the next one (watch events come in bursts). */
  private readonly runner = new CoalescingRunner(() => this.sync());
  /** network ID → this node's address on it. */
  readonly localIps = new Map<string, string>();

  constructor(private readonly local: LocalOverlays, private readonly onSynced?: () => void) {}

  async start(s: Session): Promise<void> {
    this.session = s;
    for (const p of ["networks/", "nodes/"]) this.stops.push(await s.store.watch(p, () => this.kick()));
    this.timer = setInterval(() => this.kick(), 5000);
    this.kick();
  }

  kick(): void {
    this.runner.kick();
  }

  /** Resolves once a sync that began after this call has finished; the agent and network create wait on it. */
  ensure(): Promise<void> {
    return this.runner.run();
  }

  private async sync(): Promise<void> {
    const s = this.session;
    if (!s) return;
    try {
      const nets = await listOverlays(s);
      const nodes = (await s.store.list<NodeRecord>("nodes/")).map((n) => n.value).filter((n) => !n.left);
      const peers = nodes.filter((n) => n.ID !== s.state.nodeId).map((n) => n.addr);
      for (const n of nets) {
        let mine = (await s.store.get<string>(`netnodes/${n.Id}/${s.state.nodeId}`))?.value;
        if (!mine) {
          mine = await allocateAddress(s, n, `node:${s.state.nodeId}`);
          await s.store.put(`netnodes/${n.Id}/${s.state.nodeId}`, mine);
        }
        this.localIps.set(n.Id, mine);
        await this.local.register({
          id: n.Id, name: n.Name, subnet: n.Subnet, gateway: n.Gateway, localIp: mine, bridge: bridgeOf(n), labels: n.Labels, options: n.Options,
          attachable: n.Attachable, internal: n.Internal, ingress: n.Ingress, created: n.Created,
        });
        await this.ensureVxlan(n, s.state.dataPathAddr, peers);
      }
      const ids = new Set(nets.map((n) => n.Id));
      for (const id of this.local.registered()) {
        if (ids.has(id)) continue;
        await this.local.unregister(id);
        this.localIps.delete(id);
      }
      this.onSynced?.();
    } catch (err) {
      log.debug("overlay sync failed", { error: errorMessage(err) });
    }
  }

  private async ensureVxlan(n: OverlayNetworkRecord, local: string, peers: string[]): Promise<void> {
    const dev = vxlanOf(n);
    const exists = await ip(["link", "show", "dev", dev]).then(() => true, () => false);
    if (!exists) {
      await ip(["link", "add", dev, "mtu", "1450", "type", "vxlan", "id", String(n.vni), "local", local, "dstport", "4789", "learning"]);
    }
    await ip(["link", "set", dev, "master", bridgeOf(n), "up"]);
    const fdb = await exec("bridge", ["fdb", "show", "dev", dev]).then((r) => r.stdout, () => "");
    const have = new Set([...fdb.matchAll(/^00:00:00:00:00:00 dst (\S+)/gm)].map((m) => m[1]));
    for (const p of peers) if (!have.has(p)) await exec("bridge", ["fdb", "append", "00:00:00:00:00:00", "dev", dev, "dst", p]);
    for (const p of have) if (!peers.includes(p)) await exec("bridge", ["fdb", "del", "00:00:00:00:00:00", "dev", dev, "dst", p]).catch(() => undefined);
  }

  async stop(leaving: boolean): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (this.timer) clearInterval(this.timer);
    for (const stop of this.stops.splice(0)) await stop().catch(() => undefined);
    await this.runner.idle();
    if (!leaving) return;
    for (const id of this.local.registered()) await this.local.unregister(id).catch(() => undefined);
    this.localIps.clear();
    // The VXLAN devices went with their bridges' networks; any left are removed by name.
    const links = await ip(["-o", "link", "show"]).catch(() => "");
    for (const m of links.matchAll(/^\d+: (wvx\d+)[@:]/gm)) await ip(["link", "delete", m[1]]).catch(() => undefined);
    void s;
  }
}
