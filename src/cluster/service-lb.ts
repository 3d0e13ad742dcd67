import { execFile } from "node:child_process";
import { errorMessage } from "../lib/errors.js";
import { log } from "../lib/log.js";
import type { ServiceRecord, TaskRecord } from "./objects.js";
import { listOverlays, type OverlayNetworkRecord } from "./overlay-networks.js";
import { bridgeOf } from "./overlay-host.js";
import type { ClusterComponent, Session } from "./swarm.js";
import type { TaskRuntime } from "./task-container.js";
import { CoalescingRunner } from "../lib/coalescing-runner.js";

/** A service as load balancing sees it: its VIPs and its healthy (running) task addresses per network. */
interface LbService {
  name: string;
  mode: "vip" | "dnsrr";
  vips: Map<string, string>;
  backends: Map<string, string[]>;
  ports: { proto: string; published: number; target: number }[];
}

function nft(script: string, netns?: string): Promise<void> {
  const [cmd, args] = netns ? ["ip", ["netns", "exec", netns, "nft", "-f", "-"]] : ["nft", ["-f", "-"]];
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args as string[], (err, _o, stderr) => (err ? reject(new Error(`nft: ${stderr || err.message}`)) : resolve()));
    child.stdin?.end(script);
  });
}

function lbMap(ips: string[], port?: number): string {
  return ips.map((ip, i) => `${i} : ${ip}${port ? ` . ${port}` : ""}`).join(", ");
}

/**
 * Service discovery and load balancing on this node, from the services and
 * tasks in etcd (only running tasks are backends):
 * - embedded DNS answers: service name → its VIP (vip mode) or task
 *   addresses (dnsrr), `tasks.<name>` → task addresses;
 * - in each local task container's netns, an nftables table that DNATs a
 *   VIP to a random backend (kernel load balancing, like Docker's per-sandbox IPVS);
 * - the routing mesh: a table in the node's namespace that DNATs every
 *   ingress-published port to a random backend on the ingress network on
 *   any node, masqueraded so replies come back through this node.
 */
export class ServiceLoadBalancer implements ClusterComponent {
  private session?: Session;
  private stops: (() => Promise<void>)[] = [];
  private timer?: NodeJS.Timeout;
  private services: LbService[] = [];
  private nets: OverlayNetworkRecord[] = [];
  private readonly applied = new Map<string, string>();
  private meshApplied = "";
  private pending?: NodeJS.Timeout;
  /** One refresh at a time; a burst of watch events shares the next one. */
  private readonly runner = new CoalescingRunner(() => this.refresh());

  constructor(private readonly runtime: TaskRuntime, private readonly meshTable: string, private readonly netnsOf: (containerId: string) => string) {}

  async start(s: Session): Promise<void> {
    this.session = s;
    for (const p of ["services/", "tasks/", "networks/"]) this.stops.push(await s.store.watch(p, () => this.kick()));
    this.timer = setInterval(() => this.kick(), 3000);
    this.kick();
  }

  kick(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.runner.kick();
    }, 100);
  }

  /** DNS: addresses for `name` asked from a container on `networkId` (empty: not a service name). */
  resolve(networkId: string, name: string): string[] {
    const want = name.toLowerCase().replace(/\.$/, "");
    for (const svc of this.services) {
      const backends = svc.backends.get(networkId) ?? [];
      const vip = svc.vips.get(networkId);
      if (!vip && !backends.length) continue;
      if (want === `tasks.${svc.name}`) return backends;
      if (want === svc.name) return svc.mode === "vip" && vip ? [vip] : backends;
    }
    return [];
  }

  private async refresh(): Promise<void> {
    const s = this.session;
    if (!s) return;
    try {
      const [svcs, tasks, nets] = await Promise.all([s.store.list<ServiceRecord>("services/"), s.store.list<TaskRecord>("tasks/"), listOverlays(s)]);
      this.nets = nets;
      this.services = svcs.map(({ value: v }) => {
        const backends = new Map<string, string[]>();
        for (const { value: t } of tasks) {
          if (t.ServiceID !== v.ID || t.DesiredState !== "running" || t.Status.State !== "running") continue;
          for (const a of t.NetworksAttachments ?? []) backends.set(a.Network.ID, [...(backends.get(a.Network.ID) ?? []), a.Addresses[0].split("/")[0]]);
        }
        return {
          name: v.Spec.Name.toLowerCase(),
          mode: v.Spec.EndpointSpec?.Mode === "dnsrr" ? "dnsrr" : "vip",
          vips: new Map((v.Endpoint?.VirtualIPs ?? []).map((x) => [x.NetworkID, x.Addr.split("/")[0]])),
          backends,
          ports: (v.Spec.EndpointSpec?.Ports ?? []).filter((p) => (p.PublishMode ?? "ingress") === "ingress" && p.PublishedPort).map((p) => ({ proto: p.Protocol ?? "tcp", published: p.PublishedPort!, target: p.TargetPort })),
        } as LbService;
      });
      await this.applyContainers(tasks.map((t) => t.value));
      await this.applyMesh();
    } catch (err) {
      log.debug("service load balancing refresh failed", { error: errorMessage(err) });
    }
  }

  private async applyContainers(tasks: TaskRecord[]): Promise<void> {
    const byTask = new Map(tasks.map((t) => [t.ID, t]));
    const live = new Set<string>();
    for (const [cid, tid] of this.runtime.taskContainers()) {
      const t = byTask.get(tid);
      if (!t || !this.runtime.state(cid)?.running) continue;
      live.add(cid);
      const nets = new Set((t.NetworksAttachments ?? []).map((a) => a.Network.ID));
      const rules: string[] = [];
      for (const svc of this.services) {
        for (const [net, vip] of svc.vips) {
          if (!nets.has(net)) continue;
          const b = svc.backends.get(net) ?? [];
          rules.push(b.length ? `ip daddr ${vip} dnat to numgen random mod ${b.length} map { ${lbMap(b)} }` : `ip daddr ${vip} drop`);
        }
      }
      const script = ["table ip wharf_lb", "delete table ip wharf_lb", "table ip wharf_lb {", "  chain out {", "    type nat hook output priority -100; policy accept;", ...rules.map((r) => `    ${r}`), "  }", "}", ""].join("\n");
      if (this.applied.get(cid) === script) continue;
      try {
        await nft(script, this.netnsOf(cid));
        this.applied.set(cid, script);
      } catch (err) {
        log.debug("cannot program a task's load balancer", { container: cid, error: errorMessage(err) });
      }
    }
    for (const cid of this.applied.keys()) if (!live.has(cid)) this.applied.delete(cid);
  }

  private async applyMesh(): Promise<void> {
    const ingress = this.nets.find((n) => n.Ingress);
    const T = `ip ${this.meshTable}`;
    const rules: string[] = [];
    if (ingress) {
      for (const svc of this.services) {
        const b = svc.backends.get(ingress.Id) ?? [];
        for (const p of svc.ports) {
          if (p.proto === "sctp") continue;
          rules.push(b.length ? `fib daddr type local ${p.proto} dport ${p.published} dnat ip addr . port to numgen random mod ${b.length} map { ${lbMap(b, p.target)} }` : `fib daddr type local ${p.proto} dport ${p.published} drop`);
        }
      }
    }
    const post = ingress ? [`ct status dnat oifname "${bridgeOf(ingress)}" masquerade`] : [];
    const script = [
      `table ${T}`, `delete table ${T}`, `table ${T} {`,
      "  chain mesh {", ...rules.map((r) => `    ${r}`), "  }",
      "  chain prerouting {", "    type nat hook prerouting priority dstnat - 1; policy accept;", "    jump mesh", "  }",
      "  chain output {", "    type nat hook output priority -101; policy accept;", "    jump mesh", "  }",
      "  chain postrouting {", "    type nat hook postrouting priority srcnat - 1; policy accept;", ...post.map((r) => `    ${r}`), "  }",
      "}", "",
    ].join("\n");
    if (script === this.meshApplied) return;
    await nft(script);
    this.meshApplied = script;
  }

  async stop(leaving: boolean): Promise<void> {
    this.session = undefined;
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    for (const stop of this.stops.splice(0)) await stop().catch(() => undefined);
    await this.runner.idle();
    this.services = [];
    this.applied.clear();
    // Stopping or leaving, the mesh goes; a restarted daemon programs it again.
    void leaving;
    await nft(`table ip ${this.meshTable}\ndelete table ip ${this.meshTable}\n`).catch(() => undefined);
    this.meshApplied = "";
  }
}
