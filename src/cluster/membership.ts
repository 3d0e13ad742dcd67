import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Lease } from "etcd3";
import { log } from "../lib/log.js";
import { errorMessage } from "../lib/errors.js";
import type { ClusterStore } from "./store.js";
import type { LocalState } from "./local-state.js";

/** Seconds a node's heartbeat lease lives: its tasks move about this long after it dies. */
export const HEARTBEAT_TTL = 4;

/**
 * This node's presence: the key alive/<nodeId> bound to a lease that the
 * etcd client keeps alive. When the node (or its link to etcd) dies, the
 * lease expires, the key disappears and the leader reschedules its tasks.
 * A lost lease is granted again as soon as etcd answers.
 */
export class Heartbeat {
  private lease?: Lease;
  private stopped = false;

  constructor(private readonly store: ClusterStore, private readonly state: LocalState) {}

  async start(): Promise<void> {
    this.stopped = false;
    void this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const lease = (this.lease = this.store.lease(HEARTBEAT_TTL));
        const lost = new Promise<void>((resolve) => lease.once("lost", () => resolve()));
        await this.store.put(`alive/${this.state.nodeId}`, { addr: this.state.addr, since: new Date().toISOString() }, await lease.grant());
        await lost;
        if (!this.stopped) log.warn("swarm heartbeat lease lost; renewing", { node: this.state.nodeId });
      } catch (err) {
        if (!this.stopped) log.debug("swarm heartbeat failed", { error: errorMessage(err) });
        await sleep(500);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const l = this.lease;
    this.lease = undefined;
    if (l) await l.revoke().catch(() => l.release());
  }
}

export function newDataKey(): string {
  return randomBytes(32).toString("hex");
}
