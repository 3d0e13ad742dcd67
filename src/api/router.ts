import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { InvalidArgumentError, TooLargeError } from "../lib/errors.js";
import { parseFilters, type Filters } from "../lib/filters.js";
import { validateBody } from "./schema/body-validator.js";
import { checkJsonContentType, EOF_MESSAGE, parseJsonBody } from "./json-body.js";
import { PlainHttpStream } from "./plain-stream.js";

/** Largest JSON body we accept; Engine API JSON bodies are small, streams (import, build, load) are not read through here. */
export const MAX_JSON_BODY = 10 * 1024 * 1024;

/**
 * What a route handler gets. Handlers are thin: decode with these helpers,
 * call one backend method, encode the answer.
 */
export class RequestContext {
  readonly query: URLSearchParams;
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse | undefined,
    readonly params: Record<string, string>,
    url: URL,
    readonly apiVersion: string,
    /** Present when the client asked to upgrade the connection (attach, exec start). */
    readonly upgradeSocket?: Duplex,
    public upgradeHead?: Buffer,
  ) {
    this.query = url.searchParams;
  }

  /** Boolean query parameter the way Docker reads them: "1", "true", "True" are true; absent, "0", "false" are false. */
  bool(name: string, dflt = false): boolean {
    const v = this.query.get(name);
    if (v === null) return dflt;
    const l = v.toLowerCase();
    return !(l === "" || l === "0" || l === "false" || l === "no");
  }

  int(name: string, dflt?: number): number | undefined {
    const v = this.query.get(name);
    if (v === null || v === "") return dflt;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`invalid value for ${name}: ${v}`);
    return Math.trunc(n);
  }

  str(name: string): string | undefined {
    const v = this.query.get(name);
    return v === null ? undefined : v;
  }

  filters(): Filters {
    return parseFilters(this.query.get("filters"));
  }

  /** Read and parse a JSON body, bounded by MAX_JSON_BODY. An empty body yields `dflt`. */
  async json<T>(dflt?: T): Promise<T> {
    if (this.upgradeSocket) return this.parseJson(await this.upgradeBody(), dflt);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req) {
      size += (chunk as Buffer).length;
      if (size > MAX_JSON_BODY) {
        this.req.destroy();
        throw new TooLargeError(`request body is larger than ${MAX_JSON_BODY / 1024 / 1024} MiB; send a smaller JSON document`);
      }
      chunks.push(chunk as Buffer);
    }
    return this.parseJson(Buffer.concat(chunks), dflt);
  }

  /**
   * A JSON body checked against the swagger's schema of `operationId` (types
   * and enums; 400 naming the field), null fields removed (Go's zero values).
   */
  async body<T>(operationId: string, dflt?: T): Promise<T> {
    const value = await this.json<unknown>(dflt);
    if (value === null || value === undefined) return value as T;
    return validateBody<T>(operationId, value);
  }

  /**
   * On an upgrade request Node's parser stops after the headers: the body
   * (exec start's JSON) arrives in the head bytes or on the raw socket.
   * Take exactly Content-Length bytes; whatever follows is stream data.
   */
  private async upgradeBody(): Promise<Buffer> {
    const len = Number(this.req.headers["content-length"] ?? 0);
    if (!len) return Buffer.alloc(0);
    if (len > MAX_JSON_BODY) throw new TooLargeError(`request body is larger than ${MAX_JSON_BODY / 1024 / 1024} MiB; send a smaller JSON document`);
    let buf = this.upgradeHead ?? Buffer.alloc(0);
    const sock = this.upgradeSocket!;
    while (buf.length < len) {
      const chunk = await new Promise<Buffer | null>((resolve) => {
        const onData = (c: Buffer) => (cleanup(), sock.pause(), resolve(c));
        const onEnd = () => (cleanup(), resolve(null));
        const cleanup = () => (sock.off("data", onData), sock.off("end", onEnd), sock.off("close", onEnd));
        sock.on("data", onData);
        sock.once("end", onEnd);
        sock.once("close", onEnd);
        sock.resume();
      });
      if (!chunk) break;
      buf = Buffer.concat([buf, chunk]);
    }
    this.upgradeHead = buf.subarray(len);
    return buf.subarray(0, len);
  }

  /**
   * dockerd's ReadJSON: Content-Type must be JSON, syntax errors in Go's words,
   * no trailing content. An empty body or `null` yields `dflt` (Go leaves the
   * zero value); without a default an empty body is refused, `null` returned.
   */
  private parseJson<T>(raw: Buffer, dflt?: T): T {
    checkJsonContentType(this.req.headers["content-type"], raw.length);
    const value = parseJsonBody(raw);
    if (value === undefined) {
      if (dflt !== undefined) return dflt;
      throw new InvalidArgumentError(EOF_MESSAGE);
    }
    if (value === null && dflt !== undefined) return dflt;
    return value as T;
  }

  private get response(): ServerResponse {
    if (!this.res) throw new Error("no response object on an upgraded request");
    return this.res;
  }

  sendJson(status: number, value: unknown): void {
    const body = JSON.stringify(value);
    const res = this.response;
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  }

  sendStatus(status: number): void {
    const res = this.response;
    res.writeHead(status);
    res.end();
  }

  sendText(status: number, text: string, contentType = "text/plain; charset=utf-8"): void {
    const res = this.response;
    res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  }

  /** Start a streamed response (logs, events, progress); the handler writes and ends it. */
  stream(status: number, contentType: string): ServerResponse {
    const res = this.response;
    res.writeHead(status, { "Content-Type": contentType });
    res.flushHeaders();
    return res;
  }

  /**
   * Take over the connection for a raw bidirectional stream (attach, exec start).
   * With `Upgrade: tcp` this answers 101 with `contentType`; without it, like
   * dockerd, 200 with `application/vnd.docker.raw-stream` (whatever the framing)
   * and a body that ends when the stream does.
   */
  hijack(contentType = "application/vnd.docker.raw-stream"): Duplex {
    if (this.upgradeSocket) {
      const s = this.upgradeSocket;
      s.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
      if (this.upgradeHead && this.upgradeHead.length) s.unshift(this.upgradeHead);
      return s;
    }
    return new PlainHttpStream(this.req, this.response).open({ "Content-Type": "application/vnd.docker.raw-stream" });
  }

  /** True when the client asked for the connection upgrade (`Upgrade: tcp`). */
  get upgraded(): boolean {
    return !!this.upgradeSocket;
  }
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

export interface Route {
  method: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  /** Path pattern; `{name}` matches one segment, `{name:.*}` matches the rest (image names contain slashes). */
  path: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  re: RegExp;
  keys: string[];
}

/** A route table matched in order, like moby's router. */
export class Router {
  private compiled: CompiledRoute[] = [];

  add(routes: Route[]): void {
    for (const r of routes) {
      const keys: string[] = [];
      const re = new RegExp(
        "^" +
          r.path.replace(/\{(\w+)(:\.\*)?\}/g, (_m, key: string, rest?: string) => {
            keys.push(key);
            return rest ? "(.+)" : "([^/]+)";
          }) +
          "/?$",
      );
      this.compiled.push({ ...r, re, keys });
    }
  }

  /** Returns the matched route and params, or whether the path exists under another method. */
  match(method: string, path: string): { route?: CompiledRoute; params: Record<string, string>; pathKnown: boolean } {
    let pathKnown = false;
    for (const r of this.compiled) {
      const m = r.re.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (r.method !== method && !(method === "HEAD" && r.method === "GET")) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
      return { route: r, params, pathKnown };
    }
    return { params: {}, pathKnown };
  }
}
