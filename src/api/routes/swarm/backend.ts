/** What the /swarm routes need from the daemon (consumer-declared). */
export interface SwarmBackend {
  init(req: Record<string, unknown>): Promise<string>;
  join(req: Record<string, unknown>): Promise<void>;
  leave(force: boolean): Promise<void>;
  inspect(): Promise<unknown>;
  update(version: number | undefined, spec: Record<string, unknown>, o: { rotateWorkerToken: boolean; rotateManagerToken: boolean }): Promise<void>;
  unlockKey(): Promise<{ UnlockKey: string }>;
}
