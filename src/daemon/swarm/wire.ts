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

export interface SwarmWiringDeps {
  config: DaemonConfig;
  containers: ContainerService;
  networking: Networking;
  images: ImageService;
  events: EventBus;
}

/** Swarm mode's part of the composition root: the cluster layer, its components and routes. */
export async function wireSwarm(d: SwarmWiringDeps): Promise<{ routes: Route[]; info: () => Promise<Record<string, unknown>>; close: () => Promise<void> }> {
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
  swarm.addComponent(new Agent(new EngineTaskRuntime(d.containers, d.events)));
  swarm.addComponent(new Orchestrator());
  await swarm.restore();
  const backend = new SwarmBackendImpl(swarm);
  const m = () => swarm.requireManager();
  return {
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
