import os from "node:os";
import path from "node:path";
import type { Route } from "../../api/router.js";
import { swarmRoutes } from "../../api/routes/swarm/index.js";
import { nodeRoutes } from "../../api/routes/nodes/index.js";
import { Swarm } from "../../cluster/swarm.js";
import { swarmInfo } from "../../cluster/swarm-info.js";
import type { DaemonConfig } from "../config.js";
import type { ContainerService } from "../containers/container-service.js";
import type { Networking } from "../networks/index.js";
import type { ImageService } from "../images/image-service.js";
import type { EventBus } from "../events/event-bus.js";
import { WHARF_VERSION } from "../system/system-service.js";
import { SwarmBackendImpl } from "./swarm-backend.js";
import { serviceRoutes } from "../../api/routes/services/index.js";
import { taskRoutes } from "../../api/routes/tasks/index.js";
import { createService, inspectService, listServices, removeService, updateService } from "../../cluster/services.js";
import { inspectTask, listTasks } from "../../cluster/tasks.js";
import type { ServiceSpec } from "../../cluster/objects.js";
import { Orchestrator } from "../../cluster/orchestrator.js";
import { Agent } from "../../cluster/agent.js";
import { EngineTaskRuntime } from "./task-runtime.js";
import { OverlayHost } from "../../cluster/overlay-host.js";
import { ServiceLoadBalancer } from "../../cluster/service-lb.js";
import { TaskNetworkAllocator } from "../../cluster/task-networks.js";
import { createOverlay, findOverlay, removeOverlay } from "../../cluster/overlay-networks.js";
import type { TaskPreparer } from "../../cluster/agent.js";
import { netnsName } from "../networks/endpoints.js";
import { NetworkService } from "../networks/network-service.js";
import type { NetworksBackend } from "../../api/routes/networks/backend.js";
import { ForbiddenError } from "../../lib/errors.js";

export interface SwarmWiringDeps {
  config: DaemonConfig;
  containers: ContainerService;
  networking: Networking;
  images: ImageService;
  events: EventBus;
}

/** Swarm mode's part of the composition root: the cluster layer, its components and routes. */
export async function wireSwarm(d: SwarmWiringDeps): Promise<{ routes: Route[]; networks: NetworksBackend; info: () => Promise<Record<string, unknown>>; close: () => Promise<void> }> {
  const engineLabels: Record<string, string> = {};
  for (const l of d.config.labels) {
    const i = l.indexOf("=");
    engineLabels[i < 0 ? l : l.slice(0, i)] = i < 0 ? "" : l.slice(i + 1);
  }
  const bridge = d.config.bridge || "wharf0";
  const swarm = new Swarm({
    dataRoot: path.resolve(d.config.dataRoot),
    hostname: () => os.hostname(),
    engineVersion: WHARF_VERSION,
    nanoCpus: os.cpus().length * 1e9,
    memoryBytes: os.totalmem(),
    labels: engineLabels,
    isEngineInterface: (n) => n === bridge || /^(br-|veth|wov|wvx)/.test(n),
  });
  const net = d.networking.service;
  const overlay = new OverlayHost({
    register: (o) => net.registerOverlay(o),
    unregister: (id) => net.unregisterOverlay(id),
    registered: () => net.store.allNetworks().filter((n) => n.Driver === "overlay").map((n) => n.Id),
  });
  const runtime = new EngineTaskRuntime(d.containers, d.events);
  const lb = new ServiceLoadBalancer(runtime, `wmesh_${NetworkService.tableName(d.config.dataRoot).slice(6)}`, (cid) => netnsName(cid));
  d.networking.clusterResolver = (id, name) => lb.resolve(id, name);
  const preparer: TaskPreparer = {
    async prepare(_s, t) {
      const atts = t.NetworksAttachments ?? [];
      if (!atts.length) return {};
      await overlay.ensure();
      const networks: Record<string, unknown> = {};
      for (const a of atts) networks[a.Network.Spec.Name] = { NetworkID: a.Network.ID, IPAMConfig: { IPv4Address: a.Addresses[0].split("/")[0] } };
      return { networks };
    },
  };
  swarm.addComponent(overlay);
  swarm.addComponent(new Agent(runtime, preparer));
  swarm.addComponent(new Orchestrator(new TaskNetworkAllocator()));
  swarm.addComponent(lb);
  swarm.onInit = async (s) => {
    await createOverlay(s, { Name: "ingress", Ingress: true, Labels: {} });
  };
  await swarm.restore();
  const backend = new SwarmBackendImpl(swarm);
  const m = () => swarm.requireManager();
  // /networks: overlay networks go to the cluster (managers only), the rest to the local engine.
  const isSwarmNet = (ref: string) => net.store.findNetwork(ref)?.Driver === "overlay";
  const networks: NetworksBackend = {
    list: (f) => d.networking.list(f),
    inspect: (ref) => d.networking.inspect(ref),
    create: async (req) => {
      if (req.Driver !== "overlay") return d.networking.create(req as never);
      if (!swarm.active) throw new ForbiddenError("This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");
      if (swarm.session?.state.role !== "manager") throw new ForbiddenError("Cannot create a multi-host network from a worker node. Please create the network from a manager node.");
      const r = await createOverlay(m(), req as never);
      await overlay.ensure();
      return r;
    },
    remove: async (ref) => {
      if (!isSwarmNet(ref)) return d.networking.remove(ref);
      await removeOverlay(m(), (await findOverlay(m(), ref)).Id);
      overlay.kick();
    },
    prune: (f) => d.networking.prune(f),
    connect: (ref, c, cfg) => d.networking.connect(ref, c, cfg as never),
    disconnect: (ref, c) => d.networking.disconnect(ref, c),
  };
  return {
    networks,
    routes: [
      ...swarmRoutes(backend),
      ...nodeRoutes(backend.nodeBackend()),
      ...serviceRoutes({
        list: (f, status) => listServices(m(), f, status),
        inspect: (ref) => inspectService(m(), ref),
        create: (spec) => createService(m(), spec as unknown as ServiceSpec),
        update: (ref, v, spec, rb) => updateService(m(), ref, v, spec as unknown as ServiceSpec, rb),
        remove: (ref) => removeService(m(), ref),
      }),
      ...taskRoutes({ list: (f) => listTasks(m(), f), inspect: (ref) => inspectTask(m(), ref) }),
    ],
    info: () => swarmInfo(swarm),
    close: () => swarm.close(),
  };
}
