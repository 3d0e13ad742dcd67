import type { EngineEvent } from "../../../daemon/events/event-bus.js";

/** What the system routes need (consumer-declared). */
export interface SystemBackend {
  version(): Promise<Record<string, unknown>>;
  info(): Promise<Record<string, unknown>>;
  eventHistory(sinceMs: number): EngineEvent[];
  subscribe(listener: (ev: EngineEvent) => void): () => void;
}
