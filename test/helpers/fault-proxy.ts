import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the proxy does to one matching request instead of passing it through.
 * - status: answer with this status and a distribution-style JSON error
 * - drop: pass the upstream answer on, but cut the connection after `afterBytes` body bytes
 * - stall: pass `afterBytes` body bytes, then send nothing until `until` settles, then the rest
 *   (with `cut`, the connection is closed instead of going on)
 * - corrupt: pass the answer with its body bytes flipped (a wrong digest)
 * - ignoreRange: forward without the client's Range header (a registry without range support)
 */
export type Fault =
  | { kind: "status"; status: number }
  | { kind: "drop"; afterBytes: number }
  | { kind: "stall"; afterBytes: number; until: Promise<unknown>; cut?: boolean }
  | { kind: "corrupt" }
  | { kind: "ignoreRange" };

export interface FaultRule {
  method?: string;
  /** Matched against the request path (and query). */
  path: RegExp;
  fault: Fault;
  /** How many matching requests get the fault (default 1); Infinity for all. */
  times?: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  range?: string;
  fault?: Fault["kind"];
  status?: number;
}

/**
 * A registry stand-in for fault tests: an HTTP proxy on 127.0.0.1 in front
 * of a real registry (`wharf registry serve`), which injects the faults the
 * test asks for and records every request it saw. Location headers are
 * rewritten so clients keep talking through the proxy.
 */
export class FaultProxy {
  readonly rules: FaultRule[] = [];
  readonly seen: SeenRequest[] = [];
  private server?: http.Server;
  private readonly sockets = new Set<import("node:net").Socket>();
  host = "";

  constructor(private readonly upstream: string) {}

  add(rule: FaultRule): void {
    this.rules.push({ times: 1, ...rule });
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private pick(method: string, url: string): Fault | undefined {
    for (const r of this.rules) {
      if ((r.times ?? 1) <= 0) continue;
      if (r.method && r.method !== method) continue;
      if (!r.path.test(url)) continue;
      r.times = (r.times ?? 1) - 1;
      return r.fault;
    }
    return undefined;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const fault = this.pick(method, url);
    const record: SeenRequest = { method, path: url, ...(req.headers.range ? { range: String(req.headers.range) } : {}), ...(fault ? { fault: fault.kind } : {}) };
    this.seen.push(record);
    if (fault?.kind === "status") {
      req.resume();
      record.status = fault.status;
      res.writeHead(fault.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "UNAVAILABLE", message: "injected fault" }] }));
      return;
    }
    const headers = { ...req.headers, host: this.upstream };
    if (fault?.kind === "ignoreRange") delete headers.range;
    const up = http.request({ host: this.upstream.split(":")[0], port: Number(this.upstream.split(":")[1]), method, path: url, headers }, (upRes) => {
      record.status = upRes.statusCode;
      const outHeaders = { ...upRes.headers };
      if (typeof outHeaders.location === "string") outHeaders.location = outHeaders.location.replace(this.upstream, this.host);
      res.writeHead(upRes.statusCode ?? 502, outHeaders);
      let sent = 0;
      let held = false;
      upRes.on("data", (chunk: Buffer) => {
        if (fault?.kind === "drop" || (fault?.kind === "stall" && !held)) {
          const room = fault.afterBytes - sent;
          const part = chunk.subarray(0, Math.max(0, room));
          sent += part.length;
          if (part.length) res.write(part);
          if (sent < fault.afterBytes) return;
          if (fault.kind === "drop") {
            upRes.destroy();
            res.destroy();
            return;
          }
          held = true;
          upRes.pause();
          const rest = chunk.subarray(part.length);
          void fault.until.finally(() => {
            if (fault.cut) {
              upRes.destroy();
              res.destroy();
              return;
            }
            if (rest.length) res.write(rest);
            upRes.resume();
          });
          return;
        }
        if (fault?.kind === "corrupt") chunk = Buffer.from(chunk.map((b) => b ^ 0xff));
        res.write(chunk);
      });
      upRes.on("end", () => {
        if (!(fault?.kind === "drop" && sent >= fault.afterBytes)) res.end();
      });
      upRes.on("error", () => res.destroy());
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  }
}
