import type { SwarmBackend } from "../../api/routes/swarm/backend.js";
import type { NodesBackend } from "../../api/routes/nodes/backend.js";
import type { Filters } from "../../lib/filters.js";
import { UnavailableError } from "../../lib/errors.js";
import type { Swarm } from "../../cluster/swarm.js";
import { inspectSwarm, updateSwarm } from "../../cluster/swarm-info.js";
import { inspectNode, listNodes, removeNode, updateNode } from "../../cluster/nodes.js";
import type { NodeRecord, SwarmSpec } from "../../cluster/objects.js";

/** The /swarm and /nodes routes over the cluster layer. */
export class SwarmBackendImpl implements SwarmBackend {
  constructor(private readonly swarm: Swarm) {}

  init(req: Record<string, unknown>) {
    return this.swarm.init(req);
  }
  join(req: Record<string, unknown>) {
    return this.swarm.join(req);
  }
  leave(force: boolean) {
    return this.swarm.leave(force);
  }
  inspect() {
    return inspectSwarm(this.swarm);
  }
  update(version: number | undefined, spec: Record<string, unknown>, o: { rotateWorkerToken: boolean; rotateManagerToken: boolean }) {
    return updateSwarm(this.swarm, version, spec as Partial<SwarmSpec>, o);
  }
  async unlockKey(): Promise<{ UnlockKey: string }> {
    this.swarm.requireManager();
    throw new UnavailableError("no unlock key is set: autolock is not enabled on this swarm");
  }

  list(filters: Filters) {
    return listNodes(this.swarm.requireManager(), filters);
  }
  // NodesBackend.inspect clashes with SwarmBackend.inspect by name: routes get the node one through nodeBackend().
  inspectNode(ref: string) {
    return inspectNode(this.swarm.requireManager(), ref);
  }
  updateNode(ref: string, version: number | undefined, spec: Record<string, unknown>) {
    return updateNode(this.swarm.requireManager(), ref, version, spec as Partial<NodeRecord["Spec"]>);
  }
  remove(ref: string, force: boolean) {
    return removeNode(this.swarm.requireManager(), ref, force);
  }

  nodeBackend(): NodesBackend {
    return {
      list: (f) => this.list(f),
      inspect: (r) => this.inspectNode(r),
      update: (r, v, s) => this.updateNode(r, v, s),
      remove: (r, f) => this.remove(r, f),
    };
  }
}
