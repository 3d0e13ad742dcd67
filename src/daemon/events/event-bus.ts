import { EventEmitter } from "node:events";

/** One Engine API event message (GET /events), Docker's shape. */
export interface EngineEvent {
  Type: "container" | "image" | "network" | "volume" | "daemon" | "plugin" | "builder";
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: "local" | "swarm";
  time: number;
  timeNano: number;
  // Deprecated fields docker still sends for containers and images.
  status?: string;
  id?: string;
  from?: string;
}

/**
 * In-process publish/subscribe of engine events, with a bounded in-memory
 * journal so `since` can replay recent history.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly journal: EngineEvent[] = [];

  constructor(private readonly journalSize = 1000) {
    this.emitter.setMaxListeners(0);
  }

  publish(type: EngineEvent["Type"], action: string, id: string, attributes: Record<string, string> = {}): void {
    const nowNs = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    const ev: EngineEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: "local",
      time: Number(nowNs / 1_000_000_000n),
      timeNano: Number(nowNs),
    };
    if (type === "container" || type === "image") {
      ev.status = action;
      ev.id = id;
      if (attributes.image) ev.from = attributes.image;
    }
    this.journal.push(ev);
    if (this.journal.length > this.journalSize) this.journal.shift();
    this.emitter.emit("event", ev);
  }

  /** Events at or after `sinceMs` from the journal. */
  history(sinceMs: number): EngineEvent[] {
    return this.journal.filter((e) => e.timeNano / 1e6 >= sinceMs);
  }

  subscribe(listener: (ev: EngineEvent) => void): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }
}
