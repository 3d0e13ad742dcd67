import { EventEmitter } from "node:events";
import { promises as fs } from "node:fs";
import { writeFileAtomic } from "../../lib/atomic-file.js";

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
 * In-process publish/subscribe of engine events, with a bounded journal so
 * `since` can replay recent history: in memory, and appended to a file so the
 * history survives a daemon restart (compacted to the last `journalSize`).
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly journal: EngineEvent[] = [];
  private writes: Promise<void> = Promise.resolve();
  private appended = 0;

  constructor(private readonly journalFile?: string, private readonly journalSize = 1000) {
    this.emitter.setMaxListeners(0);
  }

  /** Load the persisted journal (a torn last line from a crash is skipped). */
  async load(): Promise<void> {
    if (!this.journalFile) return;
    const text = await fs.readFile(this.journalFile, "utf8").catch(() => "");
    for (const line of text.split("\n")) {
      if (!line) continue;
      try {
        this.journal.push(JSON.parse(line) as EngineEvent);
      } catch {
        /* torn line */
      }
    }
    this.journal.splice(0, Math.max(0, this.journal.length - this.journalSize));
  }

  private persist(ev: EngineEvent): void {
    const file = this.journalFile;
    if (!file) return;
    this.writes = this.writes.then(async () => {
      if (++this.appended >= this.journalSize) {
        this.appended = 0;
        await writeFileAtomic(file, this.journal.map((e) => JSON.stringify(e) + "\n").join(""));
      } else await fs.appendFile(file, JSON.stringify(ev) + "\n");
    }).catch(() => undefined);
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
    this.persist(ev);
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
