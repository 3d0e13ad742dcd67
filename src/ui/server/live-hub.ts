import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { EngineClient, FilterArgs } from "../../client/engine-client.js";
import { eventsFeed, logsFeed, statsFeed, type Feed, type FeedSink } from "./live-feeds.js";

/**
 * `/ui/live`: the one websocket a dashboard tab keeps open. The tab
 * subscribes to topics and every live view (container list sparklines,
 * events, logs, stats graphs) is fed from it; nothing is polled per row.
 *
 * Tab → server (JSON text frames):
 *   {op:"sub", sub:N, topic:"events", filters?:{type:["container"],…}}
 *   {op:"sub", sub:N, topic:"stats", ids:[…]}   (again with the same N: the set changes)
 *   {op:"sub", sub:N, topic:"logs", id, tail?}
 *   {op:"unsub", sub:N}
 * Server → tab: {sub:N, event} | {sub:N, id, stats} | {sub:N, logs:[…]} | {sub:N, error} | {sub:N, end:true}
 */
const MAX_SUBS = 32;
const MAX_STATS_IDS = 200;
/** Beyond this much unsent data the tab is behind: feeds pause. */
const HIGH_WATER = 1 << 20;

type Sub = { topic: "events" | "logs"; feed: Feed } | { topic: "stats"; feeds: Map<string, Feed> };

export class LiveHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly client: EngineClient) {}

  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws));
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }

  private serve(ws: WebSocket): void {
    this.sockets.add(ws);
    const subs = new Map<number, Sub>();
    const drop = (n: number) => {
      const s = subs.get(n);
      if (!s) return;
      subs.delete(n);
      if (s.topic === "stats") for (const f of s.feeds.values()) f.close();
      else s.feed.close();
    };
    const sinkFor = (n: number): FeedSink => ({
      send: (msg) => {
        if (ws.readyState !== ws.OPEN || !subs.has(n)) return true;
        ws.send(JSON.stringify({ sub: n, ...msg }));
        return ws.bufferedAmount < HIGH_WATER;
      },
      drained: () => drained(ws),
    });
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(String(data));
      } catch {
        return void ws.send(JSON.stringify({ error: "messages must be JSON" }));
      }
      const n = Number(m.sub);
      if (!Number.isInteger(n)) return void ws.send(JSON.stringify({ error: "every message needs an integer sub" }));
      if (m.op === "unsub") return drop(n);
      if (m.op !== "sub") return void ws.send(JSON.stringify({ sub: n, error: `unknown op ${String(m.op)}` }));
      const existing = subs.get(n);
      if (m.topic === "stats" && existing?.topic === "stats") return this.restat(existing.feeds, ids(m.ids), sinkFor(n));
      drop(n);
      if (subs.size >= MAX_SUBS) return void ws.send(JSON.stringify({ sub: n, error: `at most ${MAX_SUBS} live views per tab` }));
      if (m.topic === "events") {
        subs.set(n, { topic: "events", feed: eventsFeed(this.client, filterArgs(m.filters), sinkFor(n)) });
      } else if (m.topic === "logs" && typeof m.id === "string") {
        const tail = Number.isInteger(m.tail) ? Math.min(Math.max(Number(m.tail), 0), 10_000) : 500;
        subs.set(n, { topic: "logs", feed: logsFeed(this.client, m.id, tail, sinkFor(n)) });
      } else if (m.topic === "stats") {
        const feeds = new Map<string, Feed>();
        subs.set(n, { topic: "stats", feeds });
        this.restat(feeds, ids(m.ids), sinkFor(n));
      } else ws.send(JSON.stringify({ sub: n, error: `unknown topic ${String(m.topic)}` }));
    });
    ws.on("close", () => {
      this.sockets.delete(ws);
      for (const n of [...subs.keys()]) drop(n);
    });
    ws.on("error", () => ws.terminate());
  }

  /** Make the stats feeds follow exactly `want`. */
  private restat(feeds: Map<string, Feed>, want: string[], sink: FeedSink): void {
    const wanted = new Set(want.slice(0, MAX_STATS_IDS));
    for (const [id, f] of feeds) if (!wanted.has(id)) (f.close(), feeds.delete(id));
    for (const id of wanted) if (!feeds.has(id)) feeds.set(id, statsFeed(this.client, id, sink));
  }
}

function ids(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && /^[\w.-]{1,128}$/.test(x)) : [];
}

function filterArgs(v: unknown): FilterArgs {
  const out: FilterArgs = new Map();
  if (!v || typeof v !== "object") return out;
  for (const [k, vals] of Object.entries(v as Record<string, unknown>)) {
    if (Array.isArray(vals)) out.set(k, vals.map(String));
  }
  return out;
}

function drained(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (ws.readyState !== ws.OPEN || ws.bufferedAmount < HIGH_WATER / 4 ? resolve() : setTimeout(check, 50));
    check();
  });
}
