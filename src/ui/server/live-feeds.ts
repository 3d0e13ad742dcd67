import type { IncomingMessage } from "node:http";
import type { EngineClient, FilterArgs } from "../../client/engine-client.js";
import { StdcopyDemuxer } from "../../client/stdcopy.js";
import { summarizeStats } from "./stats-summary.js";

/**
 * The live streams a dashboard tab subscribes to, each one Engine API
 * stream opened through the in-process client and reduced to small
 * messages. `out` sends one message to the tab; it answers false when the
 * tab is behind, and the feed then pauses its API stream until `drained`.
 */
export interface FeedSink {
  send(msg: object): boolean;
  drained(): Promise<void>;
}

export interface Feed {
  close(): void;
}

/** Open an API stream; errors and its end are reported to the tab, never thrown. */
function open(start: () => Promise<IncomingMessage>, sink: FeedSink, onData: (chunk: Buffer, res: IncomingMessage) => void, onEnd?: () => void): Feed {
  let res: IncomingMessage | undefined;
  let closed = false;
  start().then(
    (r) => {
      res = r;
      if (closed) return void r.destroy();
      r.on("data", (c: Buffer) => onData(c, r));
      r.on("end", () => {
        onEnd?.();
        if (!closed) sink.send({ end: true });
      });
      r.on("error", () => undefined);
    },
    (err: Error) => !closed && sink.send({ error: err.message }),
  );
  return {
    close() {
      closed = true;
      res?.destroy();
    },
  };
}

/** Calls `each` with every complete line of a byte stream. */
function lines(each: (line: string) => void): (chunk: Buffer) => void {
  let rest = "";
  return (chunk) => {
    const parts = (rest + chunk.toString("utf8")).split("\n");
    rest = parts.pop() ?? "";
    for (const p of parts) if (p.trim()) each(p);
  };
}

function pauseUntilDrained(ok: boolean, res: IncomingMessage, sink: FeedSink): void {
  if (ok || res.isPaused()) return;
  res.pause();
  void sink.drained().then(() => res.resume());
}

export function eventsFeed(client: EngineClient, filters: FilterArgs, sink: FeedSink): Feed {
  let res: IncomingMessage | undefined;
  const onLine = lines((l) => {
    try {
      pauseUntilDrained(sink.send({ event: JSON.parse(l) }), res!, sink);
    } catch {
      /* a partial or foreign line: skip */
    }
  });
  return open(() => client.events({ filters }), sink, (c, r) => {
    res = r;
    onLine(c);
  });
}

export function statsFeed(client: EngineClient, id: string, sink: FeedSink): Feed {
  const onLine = lines((l) => {
    try {
      sink.send({ id, stats: summarizeStats(JSON.parse(l)) }); // one a second: never worth pausing
    } catch {
      /* skip */
    }
  });
  return open(() => client.containerStats(id, { stream: true }), sink, onLine);
}

export interface LogLine {
  /** 1 stdout, 2 stderr */
  s: 1 | 2;
  /** RFC 3339 timestamp from the daemon. */
  t: string;
  m: string;
}

/** Follows a container's logs (the last `tail` lines first), in batches of lines. */
export function logsFeed(client: EngineClient, id: string, tail: number, sink: FeedSink): Feed {
  let batch: LogLine[] = [];
  let timer: NodeJS.Timeout | undefined;
  let res: IncomingMessage | undefined;
  const flush = () => {
    timer = undefined;
    if (!batch.length) return;
    const ok = sink.send({ logs: batch });
    batch = [];
    if (res) pauseUntilDrained(ok, res, sink);
  };
  const add = (s: 1 | 2) => {
    let rest = "";
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString("utf8")).split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts) {
        const sp = p.indexOf(" ");
        batch.push({ s, t: sp > 0 ? p.slice(0, sp) : "", m: (sp > 0 ? p.slice(sp + 1) : p).replace(/\r$/, "") });
      }
      if (batch.length >= 500) flush();
      else timer ??= setTimeout(flush, 50);
    };
  };
  const stdout = add(1);
  const stderr = add(2);
  let demux: StdcopyDemuxer | undefined;
  const feed = open(
    async () => {
      const tty = ((await client.containerInspect(id)).Config as { Tty?: boolean } | undefined)?.Tty === true;
      if (!tty) demux = new StdcopyDemuxer({ stdout, stderr });
      return client.containerLogs(id, { follow: true, stdout: true, stderr: true, timestamps: true, tail: String(tail) });
    },
    sink,
    (c, r) => {
      res = r;
      if (demux) demux.push(c);
      else stdout(c);
    },
    () => flush(),
  );
  return {
    close() {
      if (timer) clearTimeout(timer);
      feed.close();
    },
  };
}
