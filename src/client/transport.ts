import http from "node:http";
import type { Duplex } from "node:stream";
import { ApiError, ConnectionError, decodeErrorBody } from "./api-error.js";
import type { EngineHost } from "./host.js";
import { makeDial, type ClientTls, type Dial } from "./dial.js";

/**
 * HTTP to one Engine API endpoint over a unix socket, TCP, TLS or ssh, with a
 * keep-alive agent so a CLI command's several calls share one connection.
 * Paths given here are already versioned (the client adds `/v1.NN`).
 */
export interface RequestOptions {
  query?: Record<string, string | number | boolean | string[] | undefined | null>;
  /** JSON-serialisable body, or a raw stream/buffer (set contentType then). */
  body?: unknown;
  rawBody?: NodeJS.ReadableStream | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class Transport {
  private readonly dial: Dial;

  constructor(
    readonly host: EngineHost,
    private readonly tls?: ClientTls,
  ) {
    this.dial = makeDial(host, tls);
  }

  /** Send a request; resolve with the response once headers arrive. Non-2xx → ApiError. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<http.IncomingMessage> {
    const res = await this.send(method, path, opts);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return res;
    // 304 Not Modified carries no body; callers treat it as success
    if (status === 304) return res;
    const body = await readBody(res);
    throw decodeErrorBody(status, body.toString("utf8"));
  }

  /**
   * Start a request and report separately when it has been sent (so a
   * caller can order it before another call) and when its answer arrives.
   */
  requestSent(method: string, path: string, opts: RequestOptions = {}): { sent: Promise<void>; response: Promise<http.IncomingMessage> } {
    let markSent: () => void = () => undefined;
    const sent = new Promise<void>((r) => (markSent = r));
    const response = new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = this.dial.request(this.options(method, path, opts, {}), resolve);
      req.once("finish", () => markSent());
      req.once("error", (err) => {
        markSent();
        reject(this.wrapError(err));
      });
      this.writeBody(req, opts);
    }).then(async (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return res;
      throw decodeErrorBody(status, (await readBody(res)).toString("utf8"));
    });
    response.catch(() => undefined);
    return { sent, response };
  }

  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, opts);
    const body = (await readBody(res)).toString("utf8");
    if (!body.trim()) return undefined as T;
    return JSON.parse(body) as T;
  }

  /** Request whose answer body is ignored (204s, 304s). */
  async call(method: string, path: string, opts: RequestOptions = {}): Promise<number> {
    const res = await this.request(method, path, opts);
    res.resume();
    await new Promise<void>((resolve) => (res.complete ? resolve() : res.once("end", () => resolve())));
    return res.statusCode ?? 0;
  }

  /**
   * Hijack: send `Connection: Upgrade, Upgrade: tcp` and get the raw socket
   * back after `101 UPGRADED`. The socket then carries the stream both ways.
   */
  hijack(method: string, path: string, opts: RequestOptions = {}): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const req = this.dial.request(this.options(method, path, opts, { Connection: "Upgrade", Upgrade: "tcp" }));
      req.once("upgrade", (_res, socket, head) => {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      req.once("response", (res) => {
        if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) {
          resolve(res.socket);
          return;
        }
        readBody(res).then((b) => reject(decodeErrorBody(res.statusCode ?? 0, b.toString("utf8"))), reject);
      });
      req.once("error", (err) => reject(this.wrapError(err)));
      this.writeBody(req, opts);
    });
  }

  close(): void {
    this.dial.agent.destroy();
  }

  private send(method: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.dial.request(this.options(method, path, opts, {}), resolve);
      req.once("error", (err) => reject(this.wrapError(err)));
      this.writeBody(req, opts);
    });
  }

  private options(method: string, path: string, opts: RequestOptions, extra: Record<string, string>): http.RequestOptions {
    const headers: Record<string, string> = { "User-Agent": "wharf-cli", ...extra, ...opts.headers };
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    else if (opts.contentType) headers["Content-Type"] = opts.contentType;
    const where = extra.Upgrade ? { agent: false as const, ...this.dial.direct() } : { ...this.dial.base, agent: this.dial.agent };
    return { ...where, method, path: path + queryString(opts.query), headers, signal: opts.signal };
  }

  private writeBody(req: http.ClientRequest, opts: RequestOptions): void {
    if (opts.body !== undefined) {
      req.end(JSON.stringify(opts.body));
    } else if (Buffer.isBuffer(opts.rawBody)) {
      req.end(opts.rawBody);
    } else if (opts.rawBody) {
      opts.rawBody.pipe(req);
    } else {
      req.end();
    }
  }

  private wrapError(err: Error & { code?: string }): Error {
    if (err instanceof ApiError || err.name === "AbortError") return err;
    if (this.tls && (err.code === "ECONNRESET" || err.code === "EPIPE")) {
      // a TLS daemon closes the handshake on a certificate it does not accept
      return new Error(`error during connect: ${this.host.raw}: the daemon closed the TLS connection: check that your client certificate is signed by the daemon's CA and has not expired`, { cause: err });
    }
    if (this.tls && /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|HOSTNAME/.test(err.code ?? "")) {
      return new Error(`error during connect: ${this.host.raw}: tls: failed to verify the daemon's certificate: ${err.message} (is --tlscacert the CA that signed it?)`, { cause: err });
    }
    if (["ENOENT", "ECONNREFUSED", "EACCES", "ECONNRESET", "EHOSTUNREACH"].includes(err.code ?? "")) {
      return new ConnectionError(this.host.raw, err.code, { cause: err });
    }
    return err;
  }
}

export function queryString(query: RequestOptions["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) {
      for (const item of v) params.append(k, item);
      continue;
    }
    params.append(k, typeof v === "boolean" ? (v ? "1" : "0") : String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

export function readBody(res: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.once("end", () => resolve(Buffer.concat(chunks)));
    res.once("error", reject);
  });
}
