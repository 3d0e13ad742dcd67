import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { promises as fs } from "node:fs";
import type { AddressInfo } from "node:net";
import { log } from "../../lib/log.js";
import { RegistryAccess } from "./access.js";
import { deleteBlob, getBlob } from "./blobs.js";
import { paginate, send, sendJson, type Exchange } from "./exchange.js";
import { deleteManifest, getManifest, getReferrers, putManifest } from "./manifests.js";
import { RegistryError, errors } from "./registry-error.js";
import { v1Ping, v1Search } from "./search.js";
import { RegistryStorage } from "./storage.js";
import { cancelUpload, patchUpload, putUpload, startUpload, uploadStatus } from "./uploads.js";

export interface RegistryServerOptions {
  addr: string;
  root: string;
  htpasswd?: string;
  tokenAuth?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

const NAME = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*";
const DIGEST = "sha256:[a-f0-9]{64}";
type Handler = (x: Exchange, arg: string) => Promise<void>;
const ROUTES: [string, RegExp, Handler, "pull" | "push"][] = [
  ["POST", new RegExp(`^/v2/(${NAME})/blobs/uploads/?$`), (x) => startUpload(x), "push"],
  ["PATCH", new RegExp(`^/v2/(${NAME})/blobs/uploads/([0-9a-f-]+)$`), patchUpload, "push"],
  ["PUT", new RegExp(`^/v2/(${NAME})/blobs/uploads/([0-9a-f-]+)$`), putUpload, "push"],
  ["GET", new RegExp(`^/v2/(${NAME})/blobs/uploads/([0-9a-f-]+)$`), uploadStatus, "push"],
  ["DELETE", new RegExp(`^/v2/(${NAME})/blobs/uploads/([0-9a-f-]+)$`), cancelUpload, "push"],
  ["GET", new RegExp(`^/v2/(${NAME})/blobs/(${DIGEST})$`), getBlob, "pull"],
  ["HEAD", new RegExp(`^/v2/(${NAME})/blobs/(${DIGEST})$`), getBlob, "pull"],
  ["DELETE", new RegExp(`^/v2/(${NAME})/blobs/(${DIGEST})$`), deleteBlob, "push"],
  ["GET", new RegExp(`^/v2/(${NAME})/manifests/([^/]+)$`), getManifest, "pull"],
  ["HEAD", new RegExp(`^/v2/(${NAME})/manifests/([^/]+)$`), getManifest, "pull"],
  ["PUT", new RegExp(`^/v2/(${NAME})/manifests/([^/]+)$`), putManifest, "push"],
  ["DELETE", new RegExp(`^/v2/(${NAME})/manifests/([^/]+)$`), deleteManifest, "push"],
  ["GET", new RegExp(`^/v2/(${NAME})/tags/list$`), tagsList, "pull"],
  ["GET", new RegExp(`^/v2/(${NAME})/referrers/(${DIGEST})$`), getReferrers, "pull"],
];

/**
 * `wharf registry serve`: an OCI distribution-spec v1.1 registry over
 * RegistryStorage (the role of the `registry:2` image), on HTTP or HTTPS.
 */
export class RegistryServer {
  readonly storage: RegistryStorage;
  private server?: http.Server;
  private readonly access: RegistryAccess;

  constructor(private readonly opts: RegistryServerOptions) {
    this.storage = new RegistryStorage(opts.root);
    this.access = new RegistryAccess({ htpasswd: opts.htpasswd, tokenAuth: opts.tokenAuth, root: opts.root }, () => this.baseUrl);
  }

  get baseUrl(): string {
    const a = this.server?.address() as AddressInfo | undefined;
    const host = a ? (a.family === "IPv6" ? `[${a.address}]` : a.address) : "127.0.0.1";
    return `${this.opts.tlsCert ? "https" : "http"}://${host}:${a?.port ?? 0}`;
  }

  async listen(): Promise<string> {
    await this.storage.init();
    await this.access.init();
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.opts.tlsCert
      ? https.createServer({ cert: await fs.readFile(this.opts.tlsCert), key: await fs.readFile(this.opts.tlsKey ?? "") }, handler)
      : http.createServer(handler);
    const { host, port } = splitAddr(this.opts.addr);
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    return this.baseUrl;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://registry");
    const x: Exchange = { req, res, url, storage: this.storage, repo: "" };
    try {
      if (url.pathname === "/token" && req.method === "GET" && this.opts.tokenAuth) {
        return sendJson(x, 200, this.access.issueToken(req, url));
      }
      if (url.pathname === "/v2/" || url.pathname === "/v2") {
        this.access.check(req, undefined);
        return sendJson(x, 200, {});
      }
      if (url.pathname === "/v1/_ping" && (req.method === "GET" || req.method === "HEAD")) return v1Ping(x);
      if (url.pathname === "/v1/search" && req.method === "GET") {
        this.access.check(req, { type: "registry", name: "catalog", action: "search" });
        return await v1Search(x);
      }
      if (url.pathname === "/v2/_catalog" && (req.method === "GET" || req.method === "HEAD")) {
        this.access.check(req, { type: "registry", name: "catalog", action: "*" });
        const { page, headers } = pageOf(x, await this.storage.repositories());
        return sendJson(x, 200, { repositories: page }, headers);
      }
      let pathMatched = false;
      for (const [method, re, fn, action] of ROUTES) {
        const m = re.exec(url.pathname);
        if (!m) continue;
        pathMatched = true;
        if (method !== req.method) continue;
        x.repo = m[1];
        this.access.check(req, { type: "repository", name: x.repo, action });
        return await fn(x, m[2]);
      }
      req.resume();
      if (pathMatched) throw errors.unsupported(`${req.method} ${url.pathname}`);
      if (url.pathname.startsWith("/v2/")) throw errors.nameInvalid(url.pathname.slice(4));
      send(x, 404, { "Content-Type": "text/plain" }, "404 page not found\n");
    } catch (err) {
      req.resume();
      if (res.headersSent) return void res.destroy();
      if (err instanceof RegistryError) {
        return sendJson(x, err.status, { errors: [{ code: err.code, message: err.message, detail: err.detail ?? null }] }, err.headers);
      }
      log.warn("registry request failed", { method: req.method, path: url.pathname, error: String(err) });
      sendJson(x, 500, { errors: [{ code: "UNKNOWN", message: "unknown error", detail: String((err as Error).message ?? err) }] });
    }
  }
}

async function tagsList(x: Exchange): Promise<void> {
  if (!(await x.storage.repoExists(x.repo))) throw errors.nameUnknown(x.repo);
  const { page, headers } = pageOf(x, await x.storage.tags(x.repo));
  sendJson(x, 200, { name: x.repo, tags: page }, headers);
}

function pageOf(x: Exchange, items: string[]): { page: string[]; headers: Record<string, string> } {
  try {
    return paginate(x, items);
  } catch {
    throw errors.paginationInvalid();
  }
}

function splitAddr(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr);
  if (!m) throw new Error(`invalid --addr "${addr}": expected host:port`);
  return { host: m[1] ?? (m[2] || "0.0.0.0"), port: Number(m[3]) };
}
