import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { ApiError } from "./api-error.js";
import { type EngineHost } from "./host.js";
import { Transport, readBody, type RequestOptions } from "./transport.js";
import type { ClientTls } from "./dial.js";
import type {
  ContainerCreateBody,
  ContainerSummary,
  CreateResponse,
  ImageDeleteItem,
  ImageSummary,
  JsonObject,
  PruneReport,
  VersionResponse,
  WaitResponse,
} from "./types.js";

/** The newest Engine API version this client speaks. */
export const CLIENT_API_VERSION = "1.50";
const FALLBACK_API_VERSION = "1.24";

export type FilterArgs = Map<string, string[]>;

export interface EngineClientOptions {
  host: EngineHost;
  /** Pin the API version (DOCKER_API_VERSION); otherwise negotiated via /_ping. */
  apiVersion?: string;
  /** TLS for a tcp host (flags, env or the context's material). */
  tls?: ClientTls;
}

/**
 * Typed Engine API client. Every call is versioned (`/v1.NN/...`): the
 * version is pinned or negotiated once with `GET /_ping` as
 * min(server's API-Version, 1.50). Non-2xx answers throw ApiError with the
 * daemon's message; an unreachable host throws ConnectionError.
 */
export class EngineClient {
  readonly transport: Transport;
  private pinned: string | undefined;
  serverOsType: string | undefined;

  constructor(readonly opts: EngineClientOptions) {
    this.transport = new Transport(opts.host, opts.host.kind === "tcp" ? opts.tls : undefined);
    this.pinned = opts.apiVersion;
  }

  get host(): EngineHost {
    return this.opts.host;
  }

  /** The API version in use (negotiating first when needed). */
  async apiVersion(): Promise<string> {
    if (!this.pinned) await this.negotiate();
    return this.pinned as string;
  }

  /** GET /_ping; records the negotiated version unless one is pinned. */
  async negotiate(): Promise<void> {
    const res = await this.transport.request("GET", "/_ping");
    res.resume();
    const server = headerValue(res, "api-version");
    this.serverOsType = headerValue(res, "ostype");
    if (!this.pinned) this.pinned = server ? minVersion(server, CLIENT_API_VERSION) : FALLBACK_API_VERSION;
  }

  close(): void {
    this.transport.close();
  }

  // ---- system ----
  async version(): Promise<VersionResponse> {
    return this.get<VersionResponse>("/version");
  }
  async info(): Promise<JsonObject> {
    return this.get<JsonObject>("/info");
  }

  // ---- containers ----
  async containerList(o: { all?: boolean; limit?: number; size?: boolean; filters?: FilterArgs }): Promise<ContainerSummary[]> {
    return this.get("/containers/json", {
      all: o.all || undefined,
      limit: o.limit !== undefined && o.limit > 0 ? o.limit : undefined,
      size: o.size || undefined,
      filters: encodeFilters(o.filters),
    });
  }
  async containerCreate(body: ContainerCreateBody, name?: string, platform?: string): Promise<CreateResponse> {
    return this.jsonCall("POST", "/containers/create", { query: { name: name || undefined, platform }, body });
  }
  async containerInspect(id: string, size = false): Promise<JsonObject> {
    return this.get(`/containers/${enc(id)}/json`, { size: size || undefined });
  }
  async containerStart(id: string): Promise<void> {
    await this.call("POST", `/containers/${enc(id)}/start`);
  }
  async containerStop(id: string, o: { timeout?: number; signal?: string } = {}): Promise<void> {
    await this.call("POST", `/containers/${enc(id)}/stop`, { query: { t: o.timeout, signal: o.signal } });
  }
  async containerRestart(id: string, o: { timeout?: number; signal?: string } = {}): Promise<void> {
    await this.call("POST", `/containers/${enc(id)}/restart`, { query: { t: o.timeout, signal: o.signal } });
  }
  async containerKill(id: string, signal?: string): Promise<void> {
    await this.call("POST", `/containers/${enc(id)}/kill`, { query: { signal } });
  }
  async containerRemove(id: string, o: { force?: boolean; volumes?: boolean; link?: boolean } = {}): Promise<void> {
    await this.call("DELETE", `/containers/${enc(id)}`, { query: { force: o.force || undefined, v: o.volumes || undefined, link: o.link || undefined } });
  }
  async containerRename(id: string, name: string): Promise<void> {
    await this.call("POST", `/containers/${enc(id)}/rename`, { query: { name } });
  }
  /** Starts the wait request now; the promise settles when the condition is met. */
  containerWait(id: string, condition?: "not-running" | "next-exit" | "removed"): Promise<WaitResponse> {
    return this.jsonCall("POST", `/containers/${enc(id)}/wait`, { query: { condition } });
  }
  /**
   * Wait whose request is on the wire once `sent` resolves: `run` starts
   * the container only after that, so a "next-exit" wait cannot miss the exit.
   */
  async containerWaitSent(id: string, condition?: "not-running" | "next-exit" | "removed"): Promise<{ sent: Promise<void>; result: Promise<WaitResponse> }> {
    const path = await this.path(`/containers/${enc(id)}/wait`);
    const { sent, response } = this.transport.requestSent("POST", path, { query: { condition } });
    const result = response.then(async (res) => JSON.parse((await readBody(res)).toString("utf8")) as WaitResponse);
    result.catch(() => undefined);
    return { sent, result };
  }
  async containerAttach(id: string, o: { stdin?: boolean; stdout?: boolean; stderr?: boolean; logs?: boolean; detachKeys?: string }): Promise<Duplex> {
    const path = await this.path(`/containers/${enc(id)}/attach`);
    return this.transport.hijack("POST", path, {
      query: { stream: true, stdin: o.stdin || undefined, stdout: o.stdout || undefined, stderr: o.stderr || undefined, logs: o.logs || undefined, detachKeys: o.detachKeys },
    });
  }
  async containerLogs(id: string, o: { follow?: boolean; stdout?: boolean; stderr?: boolean; since?: string; until?: string; timestamps?: boolean; tail?: string; details?: boolean }): Promise<IncomingMessage> {
    return this.stream("GET", `/containers/${enc(id)}/logs`, {
      query: { follow: o.follow || undefined, stdout: o.stdout || undefined, stderr: o.stderr || undefined, since: o.since, until: o.until, timestamps: o.timestamps || undefined, tail: o.tail, details: o.details || undefined },
    });
  }
  async containersPrune(filters?: FilterArgs): Promise<PruneReport> {
    return this.jsonCall("POST", "/containers/prune", { query: { filters: encodeFilters(filters) } });
  }

  async containerPause(id: string): Promise<void> {
    await this.call("POST", `/containers/${enc(id)}/pause`);
  }
  async containerUnpause(id: string): Promise<void> {
    await this.call("POST", `/containers/${enc(id)}/unpause`);
  }
  async containerTop(id: string, psArgs?: string): Promise<{ Titles: string[]; Processes: string[][] }> {
    return this.get(`/containers/${enc(id)}/top`, { ps_args: psArgs || undefined });
  }
  async containerResize(id: string, h: number, w: number): Promise<void> {
    await this.call("POST", `/containers/${enc(id)}/resize`, { query: { h, w } });
  }

  // ---- exec ----
  async execCreate(id: string, body: JsonObject): Promise<{ Id: string }> {
    return this.jsonCall("POST", `/containers/${enc(id)}/exec`, { body });
  }
  async execStartDetached(execId: string, tty: boolean): Promise<void> {
    await this.call("POST", `/exec/${enc(execId)}/start`, { body: { Detach: true, Tty: tty } });
  }
  async execStartAttached(execId: string, tty: boolean): Promise<Duplex> {
    return this.transport.hijack("POST", await this.path(`/exec/${enc(execId)}/start`), { body: { Detach: false, Tty: tty } });
  }
  async execInspect(execId: string): Promise<JsonObject> {
    return this.get(`/exec/${enc(execId)}/json`);
  }
  async execResize(execId: string, h: number, w: number): Promise<void> {
    await this.call("POST", `/exec/${enc(execId)}/resize`, { query: { h, w } });
  }

  // ---- system ----
  async events(o: { since?: string; until?: string; filters?: FilterArgs }): Promise<IncomingMessage> {
    return this.stream("GET", "/events", { query: { since: o.since, until: o.until, filters: encodeFilters(o.filters) } });
  }

  // ---- images ----
  async imageList(o: { all?: boolean; digests?: boolean; filters?: FilterArgs; sharedSize?: boolean }): Promise<ImageSummary[]> {
    return this.get("/images/json", { all: o.all || undefined, digests: o.digests || undefined, filters: encodeFilters(o.filters), "shared-size": o.sharedSize || undefined });
  }
  async imageInspect(id: string): Promise<JsonObject> {
    return this.get(`/images/${enc(id)}/json`);
  }
  async imageRemove(id: string, o: { force?: boolean; noprune?: boolean } = {}): Promise<ImageDeleteItem[]> {
    return this.jsonCall("DELETE", `/images/${enc(id)}`, { query: { force: o.force || undefined, noprune: o.noprune || undefined } });
  }
  async imageTag(source: string, repo: string, tag?: string): Promise<void> {
    await this.call("POST", `/images/${enc(source)}/tag`, { query: { repo, tag } });
  }
  /** POST /images/create?fromImage=...: a JSON-message progress stream. */
  async imageCreate(query: Record<string, string | string[] | undefined>, body?: NodeJS.ReadableStream): Promise<IncomingMessage> {
    return this.stream("POST", "/images/create", { query, rawBody: body ?? Buffer.alloc(0), contentType: body ? "application/x-tar" : undefined });
  }
  /** GET /images/search: a registry index's search results (X-Registry-Auth as for pulls). */
  async imageSearch(term: string, o: { limit?: number; filters?: FilterArgs; registryAuth?: string } = {}): Promise<{ name: string; description: string; star_count: number; is_official: boolean; is_automated: boolean }[]> {
    return this.jsonCall("GET", "/images/search", { query: { term, limit: o.limit, filters: encodeFilters(o.filters) }, headers: o.registryAuth ? { "X-Registry-Auth": o.registryAuth } : undefined });
  }
  async imagesPrune(filters?: FilterArgs): Promise<PruneReport> {
    return this.jsonCall("POST", "/images/prune", { query: { filters: encodeFilters(filters) } });
  }

  // ---- networks ----
  async networkList(filters?: FilterArgs): Promise<JsonObject[]> {
    return this.get("/networks", { filters: encodeFilters(filters) });
  }
  async networkInspect(id: string): Promise<JsonObject> {
    return this.get(`/networks/${enc(id)}`);
  }
  async networkCreate(body: JsonObject): Promise<{ Id: string; Warning?: string }> {
    return this.jsonCall("POST", "/networks/create", { body });
  }
  async networkRemove(id: string): Promise<void> {
    await this.call("DELETE", `/networks/${enc(id)}`);
  }
  async networksPrune(filters?: FilterArgs): Promise<{ NetworksDeleted: string[] | null }> {
    return this.jsonCall("POST", "/networks/prune", { query: { filters: encodeFilters(filters) } });
  }
  async networkConnect(id: string, container: string, endpointConfig?: JsonObject): Promise<void> {
    await this.call("POST", `/networks/${enc(id)}/connect`, { body: { Container: container, EndpointConfig: endpointConfig } });
  }
  async networkDisconnect(id: string, container: string, force = false): Promise<void> {
    await this.call("POST", `/networks/${enc(id)}/disconnect`, { body: { Container: container, Force: force } });
  }

  // ---- volumes, files, stats, limits, disk usage ----
  async volumeCreate(body: JsonObject): Promise<JsonObject> {
    return this.jsonCall("POST", "/volumes/create", { body });
  }
  async volumeList(filters?: FilterArgs): Promise<{ Volumes: JsonObject[] | null; Warnings: string[] | null }> {
    return this.get("/volumes", { filters: encodeFilters(filters) });
  }
  async volumeInspect(name: string): Promise<JsonObject> {
    return this.get(`/volumes/${enc(name)}`);
  }
  async volumeRemove(name: string, force = false): Promise<void> {
    await this.call("DELETE", `/volumes/${enc(name)}`, { query: { force: force ? "1" : undefined } });
  }
  async volumesPrune(filters?: FilterArgs): Promise<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }> {
    return this.jsonCall("POST", "/volumes/prune", { query: { filters: encodeFilters(filters) } });
  }
  /** HEAD archive: the path's stat (decoded X-Docker-Container-Path-Stat). */
  async containerStatPath(id: string, path: string): Promise<{ name: string; size: number; mode: number; mtime: string; linkTarget: string }> {
    const res = await this.stream("HEAD", `/containers/${enc(id)}/archive`, { query: { path } });
    res.resume();
    return JSON.parse(Buffer.from(String(res.headers["x-docker-container-path-stat"] ?? ""), "base64").toString("utf8"));
  }
  async containerGetArchive(id: string, path: string): Promise<IncomingMessage> {
    return await this.stream("GET", `/containers/${enc(id)}/archive`, { query: { path } });
  }
  async containerPutArchive(id: string, path: string, tar: NodeJS.ReadableStream, o: { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean } = {}): Promise<void> {
    const res = await this.stream("PUT", `/containers/${enc(id)}/archive`, {
      query: { path, noOverwriteDirNonDir: o.noOverwriteDirNonDir ? "true" : undefined, copyUIDGID: o.copyUIDGID ? "true" : undefined },
      rawBody: tar, contentType: "application/x-tar",
    });
    await readBody(res);
  }
  async containerExport(id: string): Promise<IncomingMessage> {
    return await this.stream("GET", `/containers/${enc(id)}/export`);
  }
  async containerChanges(id: string): Promise<{ Path: string; Kind: number }[] | null> {
    return this.get(`/containers/${enc(id)}/changes`);
  }
  async containerStats(id: string, o: { stream: boolean; oneShot?: boolean }): Promise<IncomingMessage> {
    return await this.stream("GET", `/containers/${enc(id)}/stats`, { query: { stream: o.stream ? "1" : "0", "one-shot": o.oneShot ? "1" : undefined } });
  }
  async containerUpdate(id: string, body: JsonObject): Promise<{ Warnings: string[] | null }> {
    return this.jsonCall("POST", `/containers/${enc(id)}/update`, { body });
  }
  async systemDf(): Promise<JsonObject> {
    return this.get("/system/df");
  }

  // ---- plumbing ----
  async path(p: string): Promise<string> {
    return `/v${await this.apiVersion()}${p}`;
  }
  async get<T>(p: string, query?: RequestOptions["query"]): Promise<T> {
    return this.transport.json<T>("GET", await this.path(p), { query });
  }
  async jsonCall<T>(method: string, p: string, opts: RequestOptions = {}): Promise<T> {
    return this.transport.json<T>(method, await this.path(p), opts);
  }
  async call(method: string, p: string, opts: RequestOptions = {}): Promise<number> {
    return this.transport.call(method, await this.path(p), opts);
  }
  async stream(method: string, p: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    return this.transport.request(method, await this.path(p), opts);
  }
}

/** Read a JSON-message stream (pull/import/push progress); throws on an `error` message. */
export async function readJsonMessages(res: IncomingMessage, onMessage?: (m: JsonObject) => void): Promise<JsonObject[]> {
  const text = (await readBody(res)).toString("utf8");
  const out: JsonObject[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    let msg: JsonObject;
    try {
      msg = JSON.parse(line) as JsonObject;
    } catch {
      continue;
    }
    out.push(msg);
    onMessage?.(msg);
    const err = msg.errorDetail as { message?: string; code?: number } | undefined;
    if (err || typeof msg.error === "string") throw new ApiError(err?.code ?? 500, err?.message ?? String(msg.error));
  }
  return out;
}

export function encodeFilters(filters?: FilterArgs): string | undefined {
  if (!filters || filters.size === 0) return undefined;
  const obj: Record<string, Record<string, boolean>> = {};
  for (const [k, vs] of filters) {
    obj[k] ??= {};
    for (const v of vs) obj[k][v] = true;
  }
  return JSON.stringify(obj);
}

export function minVersion(a: string, b: string): string {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? a : b;
  }
  return a;
}

/** Escape an object name for a path segment; `/` and `:` stay as Docker's clients send them. */
function enc(id: string): string {
  return encodeURIComponent(id).replace(/%2F/gi, "/").replace(/%3A/gi, ":");
}

function headerValue(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
