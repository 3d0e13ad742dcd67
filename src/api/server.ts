import http from "node:http";
import https from "node:https";
import net from "node:net";
import type tls from "node:tls";
import { promises as fs } from "node:fs";
import type { Duplex } from "node:stream";
import { Router, RequestContext, type Route } from "./router.js";
import { publicErrorMessage, statusFromError } from "./errors.js";
import { API_VERSION, compareVersions } from "./version.js";
import { errorMessage } from "../lib/errors.js";
import { log } from "../lib/log.js";
import { clientIdentity } from "./client-identity.js";
import { socketPair } from "./in-process.js";

const VERSION_PREFIX = /^\/v(\d+\.\d+)(\/.*)$/;

export interface ServerOptions {
  /** `unix:///path`, `tcp://host:port`, `fd://` is not supported. */
  hosts: string[];
  routes: Route[];
  /** Sent as the `Server` header, like dockerd's `Docker/<version> (linux)`. */
  serverHeader: string;
  /** TLS for every tcp listener (dockerd never puts TLS on the unix socket); absent = plain HTTP. */
  tls?: tls.TlsOptions;
}

/** The HTTP edge: listeners, /v1.NN prefix handling, error → status mapping. */
export class ApiServer {
  private readonly router = new Router();
  private readonly servers: http.Server[] = [];
  private readonly sockets = new Set<Duplex>();
  /** Serves connections made inside the daemon (the dashboard); never listens. */
  private inProcess?: http.Server;

  constructor(private readonly opts: ServerOptions) {
    this.router.add(opts.routes);
  }

  /**
   * A connection to this API from inside the daemon process. Requests on it
   * go through the same router, version handling and checks as a socket
   * client's; `identity` names the caller in the debug log.
   */
  connectInProcess(identity: string): Duplex {
    if (!this.inProcess) {
      this.inProcess = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => void this.handle(req, res));
      this.inProcess.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void this.handle(req, undefined, socket, head));
    }
    const [client, server] = socketPair(identity);
    this.sockets.add(server);
    server.on("close", () => this.sockets.delete(server));
    this.inProcess.emit("connection", server);
    return client;
  }

  async listen(): Promise<void> {
    for (const host of this.opts.hosts) {
      const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
      const tlsOpts = host.startsWith("tcp://") ? this.opts.tls : undefined;
      // allowHalfOpen as for plain http: a hijacked stream whose client closed its
      // write side (Go sends close_notify) still carries the output back.
      const server = tlsOpts ? https.createServer({ ...tlsOpts, keepAliveTimeout: 60_000, allowHalfOpen: true }, handler) : http.createServer({ keepAliveTimeout: 60_000 }, handler);
      // A refused handshake (no, unknown or expired client certificate; plain HTTP on the TLS port) never reaches a route.
      if (tlsOpts) server.on("tlsClientError", (err: Error, s: net.Socket) => log.debug("TLS handshake refused", { host, from: `${s.remoteAddress}:${s.remotePort}`, error: err.message }));
      server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void this.handle(req, undefined, socket, head));
      server.on("connection", (s: net.Socket) => {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
      });
      server.on("clientError", (_err, socket) => {
        if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        else socket.destroy();
      });
      await listenOn(server, host);
      this.servers.push(server);
    }
  }

  async close(): Promise<void> {
    for (const s of this.servers) s.close();
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(() => r(undefined)))));
  }

  private async handle(req: http.IncomingMessage, res?: http.ServerResponse, socket?: Duplex, head?: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    let path = url.pathname;
    let apiVersion = API_VERSION;
    const m = VERSION_PREFIX.exec(path);
    if (m) {
      apiVersion = m[1];
      path = m[2];
    }
    const common = commonHeaders(this.opts.serverHeader);
    if (res) for (const [k, v] of Object.entries(common)) res.setHeader(k, v);
    try {
      if (compareVersions(apiVersion, API_VERSION) > 0) {
        throw Object.assign(new Error(`client version ${apiVersion} is too new. Maximum supported API version is ${API_VERSION}`), { status: 400 });
      }
      const method = (req.method ?? "GET").toUpperCase();
      if (log.enabled("debug")) log.debug("API request", { method, path: url.pathname, client: clientIdentity(req.socket) });
      const { route, params, pathKnown } = this.router.match(method, path);
      if (!route) {
        const status = pathKnown ? 405 : 404;
        const message = pathKnown ? `method ${method} not allowed for ${path}` : `page not found`;
        return sendError(res, socket, status, message, common);
      }
      const ctx = new RequestContext(req, res, params, url, apiVersion, socket, head);
      await route.handler(ctx);
    } catch (err) {
      const status = (err as { status?: number }).status ?? statusFromError(err);
      const message = publicErrorMessage(err, `${req.method} ${url.pathname}`);
      if (status >= 500) log.error("request failed", { method: req.method, path: url.pathname, error: errorMessage(err) });
      if (res && res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, socket, status, message, common);
    }
  }
}

function commonHeaders(server: string): Record<string, string> {
  return { "Api-Version": API_VERSION, "Docker-Experimental": "false", Ostype: "linux", Server: server };
}

function sendError(res: http.ServerResponse | undefined, socket: Duplex | undefined, status: number, message: string, headers: Record<string, string>): void {
  const body = JSON.stringify({ message }) + "\n";
  if (res) {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (socket && socket.writable) {
    const hdr = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ""}\r\n${hdr}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
}

async function listenOn(server: http.Server, host: string): Promise<void> {
  if (host.startsWith("unix://")) {
    const path = host.slice("unix://".length);
    await removeStaleSocket(path);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => resolve());
    });
    await fs.chmod(path, 0o660);
    return;
  }
  if (host.startsWith("tcp://")) {
    const u = new URL(host.replace(/^tcp:/, "http:"));
    const port = Number(u.port || "2375");
    const hostname = u.hostname.replace(/^\[|\]$/g, "") || "localhost";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, hostname, () => resolve());
    });
    return;
  }
  throw new Error(`unsupported host ${host}: use unix:///path or tcp://host:port`);
}

/** A socket file left by a killed daemon: remove it only if nobody answers on it. */
async function removeStaleSocket(path: string): Promise<void> {
  try {
    await fs.stat(path);
  } catch {
    return;
  }
  const alive = await new Promise<boolean>((resolve) => {
    const c = net.connect(path);
    c.once("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
  if (alive) throw new Error(`another daemon is already listening on ${path}`);
  await fs.unlink(path);
}
