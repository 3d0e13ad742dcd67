import type { TaskRuntime } from "../../cluster/task-container.js";
import { TASK_LABEL } from "../../cluster/task-container.js";
import type { ContainerService } from "../containers/container-service.js";
import type { CreateRequest } from "../containers/create.js";
import type { EventBus } from "../events/event-bus.js";
import { isRunning } from "../containers/state.js";

/** The agent's TaskRuntime over this engine's container service. */
export class EngineTaskRuntime implements TaskRuntime {
  constructor(private readonly containers: ContainerService, private readonly events: EventBus) {}

  async run(name: string, body: Record<string, unknown>): Promise<string> {
    const { Id } = await this.containers.create(body as unknown as CreateRequest, name);
    try {
      await this.containers.start(Id);
    } catch (err) {
      await this.containers.remove(Id, { force: true }).catch(() => undefined);
      throw err;
    }
    return Id;
  }

  async stop(id: string, timeoutSec: number): Promise<void> {
    await this.containers.stop(id, { timeout: timeoutSec });
  }

  async remove(id: string): Promise<void> {
    await this.containers.remove(id, { force: true });
  }

  state(id: string) {
    const c = this.containers.deps.store.find(id);
    if (!c) return undefined;
    const health = (c as { health?: { Status: string } }).health?.Status;
    return { running: isRunning(c.state.status), exitCode: c.state.exitCode, pid: c.state.pid, error: c.state.error, ...(health ? { health } : {}) };
  }

  taskContainers(): Map<string, string> {
    const out = new Map<string, string>();
    for (const c of this.containers.deps.store.all()) {
      const tid = c.config.Labels?.[TASK_LABEL];
      if (tid) out.set(c.id, tid);
    }
    return out;
  }

  onChange(fn: () => void): () => void {
    return this.events.subscribe((ev) => {
      if (ev.Type === "container" && (ev.Action === "die" || ev.Action.startsWith("health_status")) && ev.Actor.Attributes[TASK_LABEL]) fn();
    });
  }
}
