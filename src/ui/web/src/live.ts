import { csrfToken } from "./api";

// The tab's one websocket (`/ui/live`): every live view subscribes here.
// It reconnects by itself and then subscribes again to what is open.

type Handler = (msg: Record<string, any>) => void;
type Status = "connecting" | "open" | "closed";

let ws: WebSocket | undefined;
let nextSub = 1;
let retry = 0;
const subs = new Map<number, { params: object; handler: Handler }>();
const statusListeners = new Set<(s: Status) => void>();
let status: Status = "closed";

function setStatus(s: Status): void {
  status = s;
  for (const l of statusListeners) l(s);
}

export function liveStatus(): Status {
  return status;
}

export function onLiveStatus(l: (s: Status) => void): () => void {
  statusListeners.add(l);
  return () => statusListeners.delete(l);
}

function send(msg: object): void {
  if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

export function connectLive(): void {
  if (ws && ws.readyState <= WebSocket.OPEN) return;
  setStatus("connecting");
  const proto = location.protocol === "https:" ? "wss" : "ws";
  const sock = (ws = new WebSocket(`${proto}://${location.host}/ui/live?csrf=${encodeURIComponent(csrfToken())}`));
  sock.onopen = () => {
    retry = 0;
    setStatus("open");
    for (const [sub, s] of subs) send({ op: "sub", sub, ...s.params });
  };
  sock.onmessage = (e) => {
    let m: Record<string, any>;
    try {
      m = JSON.parse(String(e.data));
    } catch {
      return;
    }
    subs.get(m.sub)?.handler(m);
  };
  sock.onclose = () => {
    if (ws !== sock) return;
    ws = undefined;
    setStatus("closed");
    setTimeout(connectLive, Math.min(10_000, 250 * 2 ** retry++));
  };
}

export function disconnectLive(): void {
  const s = ws;
  ws = undefined;
  retry = -1;
  s?.close();
}

export interface Subscription {
  update(params: object): void;
  close(): void;
}

/** Subscribe to a topic ({topic:"events"|"stats"|"logs", …}); messages go to `handler`. */
export function subscribe(params: object, handler: Handler): Subscription {
  const sub = nextSub++;
  subs.set(sub, { params, handler });
  connectLive();
  send({ op: "sub", sub, ...params });
  return {
    update(p) {
      const s = subs.get(sub);
      if (!s) return;
      s.params = p;
      send({ op: "sub", sub, ...p });
    },
    close() {
      if (subs.delete(sub)) send({ op: "unsub", sub });
    },
  };
}
