import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Dial } from "../../client/dial.js";
import { CSRF_HEADER } from "./access.js";

// Headers that belong to the browser's hop (or carry its credentials) and never reach the API.
const DROP = new Set([
  "host", "cookie", "authorization", "origin", "referer", CSRF_HEADER, "connection", "keep-alive", "proxy-connection",
  "transfer-encoding", "te", "trailer", "upgrade", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest", "sec-fetch-user",
]);
const DROP_BACK = new Set(["connection", "keep-alive", "transfer-encoding", "trailer", "upgrade"]);

function forwardHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !DROP.has(k) && !k.startsWith("sec-websocket-")) out[k] = v;
  return out;
}

/**
 * `/api/PATH` from the browser → `PATH` on the Engine API, over an
 * in-process connection: the request goes through the API's own router and
 * checks, exactly as a socket client's would. Streams (logs, pull progress)
 * flow through; when the browser goes away the API request is aborted.
 */
export function proxyRequest(dial: Dial, req: IncomingMessage, res: ServerResponse, apiPath: string, extraHeaders: Record<string, string>): void {
  const upstream = dial.request({ ...dial.base, agent: dial.agent, method: req.method, path: apiPath, headers: { ...forwardHeaders(req), ...extraHeaders, host: "localhost" } }, (ans) => {
    const headers: Record<string, string | string[]> = { ...extraHeaders };
    for (const [k, v] of Object.entries(ans.headers)) if (v !== undefined && !DROP_BACK.has(k)) headers[k] = v;
    res.writeHead(ans.statusCode ?? 502, headers);
    if (ans.headers["content-type"] && !/json|plain/.test(ans.headers["content-type"])) res.flushHeaders();
    ans.pipe(res);
    ans.on("error", () => res.destroy());
  });
  upstream.on("error", (err) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { "Content-Type": "application/json" }).end(JSON.stringify({ message: `the Engine API did not answer: ${err.message}` }));
  });
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/**
 * A websocket (or other upgrade) to the API, e.g. `/containers/{id}/attach/ws`:
 * the browser's handshake is replayed on a fresh in-process connection and
 * the two byte streams are joined.
 */
export function proxyUpgrade(connect: () => Duplex, req: IncomingMessage, socket: Duplex, head: Buffer, apiPath: string): void {
  const up = connect();
  const headers = { ...forwardHeaders(req), host: "localhost", connection: "Upgrade", upgrade: String(req.headers.upgrade ?? "websocket") };
  for (const [k, v] of Object.entries(req.headers)) if (k.startsWith("sec-websocket-") && v !== undefined) (headers as Record<string, unknown>)[k] = v;
  let text = `${req.method} ${apiPath} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) for (const one of ([] as string[]).concat(v as string | string[])) text += `${k}: ${one}\r\n`;
  up.write(text + "\r\n");
  if (head.length) up.write(head);
  socket.pipe(up).pipe(socket);
  const close = () => {
    socket.destroy();
    up.destroy();
  };
  socket.on("error", close);
  up.on("error", close);
  socket.on("close", close);
  up.on("close", close);
}
