// The dashboard's listener (`--ui-addr`). Loaded by the daemon only when that
// address is set: without it, none of this module's code or state exists.
import { promises as fs } from "node:fs";
import http from "node:http";
import https from "node:https";
import type net from "node:net";
import type { Duplex } from "node:stream";
import type tls from "node:tls";
import { makeDial } from "../../client/dial.js";
import { EngineClient } from "../../client/engine-client.js";
import type { InProcessHost } from "../../client/host.js";
import { log } from "../../lib/log.js";
import { AccessControl, CSRF_HEADER, loopbackHosts, type Verdict } from "./access.js";
import { proxyRequest, proxyUpgrade } from "./api-proxy.js";
import { LiveHub } from "./live-hub.js";
import { SECURITY_HEADERS, StaticAssets } from "./static-assets.js";
import { TerminalBridge } from "./terminal-bridge.js";

export interface DashboardOptions {
  host: string;
  port: number;
  /** The host is a loopback address (Host headers are then checked against loopback names). */
  loopback: boolean;
  /** The daemon's TLS (certificate, key, CA for client certificates); absent = plain HTTP (loopback only). */
  tls?: tls.TlsOptions;
  /** A new in-process connection to the daemon's Engine API. */
  connect(identity: string): Duplex;
  /** vite's output: index.html and assets/. */
  assetsDir: string;
  /** Where the URL with the token is written (mode 0600) for scripts. */
  urlFile?: string;
}

export interface Dashboard {
  /** The address to open, with the session token in the fragment. */
  url: string;
  address: string;
  close(): Promise<void>;
}

function sendError(res: http.ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ message }) + "\n";
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store", ...SECURITY_HEADERS, ...extra });
  res.end(body);
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ message }) + "\n";
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

async function readSmallBody(req: http.IncomingMessage, limit = 4096): Promise<string> {
  let text = "";
  for await (const c of req) {
    text += c;
    if (text.length > limit) throw new Error("request body too large");
  }
  return text;
}

export async function startDashboard(o: DashboardOptions): Promise<Dashboard> {
  const assets = await StaticAssets.load(o.assetsDir);
  if (!assets.built) log.warn("the dashboard's front end is not built: run `npm run build` (or scripts/setup.sh) in wharf's checkout", { dir: o.assetsDir });
  const apiHost: InProcessHost = { kind: "in-process", raw: "in-process://dashboard", connect: () => o.connect("dashboard") };
  const dial = makeDial(apiHost);
  const client = new EngineClient({ host: apiHost });
  const hub = new LiveHub(client);
  const terminals = new TerminalBridge(client);
  let access: AccessControl | undefined;

  const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    const a = access!;
    const foreign = a.checkOrigin(req);
    if (foreign && !foreign.ok) return sendError(res, foreign.status, foreign.message);
    if (url.pathname.startsWith("/api/")) {
      const v = a.authorize(req, { changes: method !== "GET" && method !== "HEAD", csrf: header(req, CSRF_HEADER) });
      if (!v.ok) return sendError(res, v.status, v.message);
      if (log.enabled("debug")) log.debug("dashboard API request", { method, path: url.pathname, who: v.who, from: req.socket.remoteAddress });
      return proxyRequest(dial, req, res, url.pathname.slice("/api".length) + url.search, { "Cache-Control": "no-store" });
    }
    if (url.pathname === "/ui/login" && method === "POST") {
      let token = "";
      try {
        token = String(JSON.parse(await readSmallBody(req)).token ?? "");
      } catch {
        return sendError(res, 400, 'send {"token": "…"} as JSON');
      }
      const s = a.login(token);
      if (!s) return sendError(res, 401, "the dashboard token is wrong: use the one the daemon printed at start (it changes at every start)");
      res.writeHead(200, { "Content-Type": "application/json", "Set-Cookie": s.cookie, "Cache-Control": "no-store", ...SECURITY_HEADERS }).end(JSON.stringify({ csrf: s.csrf }));
      return;
    }
    if (url.pathname === "/ui/logout" && method === "POST") {
      const v = a.authorize(req, { changes: true, csrf: header(req, CSRF_HEADER) });
      if (!v.ok) return sendError(res, v.status, v.message);
      res.writeHead(204, { "Set-Cookie": a.logout(req), ...SECURITY_HEADERS }).end();
      return;
    }
    if (url.pathname === "/ui/session" && method === "GET") {
      const v = a.authorize(req, { changes: false });
      if (!v.ok) return sendError(res, v.status, v.message);
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store", ...SECURITY_HEADERS }).end(JSON.stringify({ csrf: v.csrf, via: v.via, who: v.who }));
      return;
    }
    if ((method === "GET" || method === "HEAD") && !url.pathname.startsWith("/ui/")) {
      if (!assets.built && url.pathname === "/") return sendError(res, 503, "the dashboard's front end is not built: run `npm run build` in wharf's checkout");
      return assets.serve(req, res, url.pathname);
    }
    sendError(res, 404, `no such page: ${method} ${url.pathname}`);
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on("error", () => socket.destroy());
    const url = new URL(req.url ?? "/", "http://x");
    const v: Verdict = access!.authorize(req, { changes: true, csrf: url.searchParams.get("csrf") ?? undefined });
    if (!v.ok) return refuseUpgrade(socket, v.status, v.message);
    if (url.pathname === "/ui/live") return hub.accept(req, socket, head);
    const exec = /^\/ui\/exec\/([0-9a-f]{12,64})$/.exec(url.pathname);
    if (exec) return terminals.accept(req, socket, head, exec[1]);
    if (url.pathname.startsWith("/api/")) {
      url.searchParams.delete("csrf");
      return proxyUpgrade(() => o.connect(`dashboard ${v.who}`), req, socket, head, url.pathname.slice("/api".length) + url.search);
    }
    refuseUpgrade(socket, 404, `no websocket at ${url.pathname}`);
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) =>
    void onRequest(req, res).catch((err) => (res.headersSent ? res.destroy() : sendError(res, 500, (err as Error).message)));
  // With the daemon's mutual TLS a browser may present a client certificate (then it is logged in) or use the token.
  const server = o.tls ? https.createServer({ ...o.tls, rejectUnauthorized: false }, handler) : http.createServer(handler);
  server.on("upgrade", onUpgrade);
  server.on("clientError", (_e, s: Duplex) => s.destroy());
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => (sockets.add(s), s.on("close", () => sockets.delete(s))));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  access = new AccessControl({ port, secure: !!o.tls, allowedHosts: o.loopback ? loopbackHosts(port) : undefined });
  const shownHost = o.host.includes(":") ? `[${o.host}]` : o.host === "0.0.0.0" || o.host === "::" ? "127.0.0.1" : o.host;
  const url = `${o.tls ? "https" : "http"}://${shownHost}:${port}/#token=${access.token}`;
  if (o.urlFile) await fs.writeFile(o.urlFile, url + "\n", { mode: 0o600 });
  log.info("dashboard listening: open this URL in a browser (the token changes at every start)", { url });
  return {
    url,
    address: `${shownHost}:${port}`,
    async close() {
      hub.close();
      terminals.close();
      dial.agent.destroy();
      client.transport.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(() => r(undefined)));
      if (o.urlFile) await fs.rm(o.urlFile, { force: true });
    },
  };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
