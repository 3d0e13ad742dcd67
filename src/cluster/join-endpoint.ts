import https from "node:https";
import type { AddressInfo } from "node:net";
import { log } from "../lib/log.js";
import { errorMessage, InvalidArgumentError, UnavailableError, WharfError } from "../lib/errors.js";
import { certDigest } from "./pki.js";
import { digestMatches, parseToken } from "./tokens.js";

/**
 * The manager's swarm port (2377 by default): a TLS endpoint with the
 * manager's node certificate. A joining node first fetches the CA
 * certificate (unauthenticated) and checks it against the digest in its
 * token, then sends its token and CSR over a connection that trusts only
 * that CA. Only managers serve it.
 */
export interface JoinRequest {
  token: string;
  csr: string;
  addr: string;
  dataPathAddr: string;
  listenPort: number;
  description: unknown;
}

export interface JoinResponse {
  nodeId: string;
  clusterId: string;
  role: "manager" | "worker";
  cert: string;
  ca: string;
  dataKey: string;
  endpoints: string[];
  initialCluster?: string;
}

export class JoinEndpoint {
  private server?: https.Server;

  constructor(private readonly tls: { cert: string; key: string; ca: string }, private readonly onJoin: (req: JoinRequest) => Promise<JoinResponse>) {}

  async listen(host: string, port: number): Promise<number> {
    const server = (this.server = https.createServer({ cert: this.tls.cert + this.tls.ca, key: this.tls.key }, (req, res) => {
      const send = (status: number, body: unknown) => {
        const s = JSON.stringify(body);
        res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(s) });
        res.end(s);
      };
      if (req.method === "GET" && req.url === "/ca") return send(200, { ca: this.tls.ca });
      if (req.method !== "POST" || req.url !== "/join") return send(404, { message: "not found" });
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > 1 << 20) req.destroy();
        else chunks.push(c);
      });
      req.on("end", async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as JoinRequest;
          send(200, await this.onJoin(body));
        } catch (err) {
          send(err instanceof InvalidArgumentError ? 400 : err instanceof WharfError ? 409 : 500, { message: errorMessage(err) });
        }
      });
    }));
    server.on("tlsClientError", () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    log.info("swarm join endpoint listening", { host, port });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise((r) => s.close(() => r(undefined)));
  }
}

function request(remote: string, method: string, path: string, body: unknown, ca?: string): Promise<{ status: number; json: any }> {
  const [host, port] = splitHostPort(remote, 2377);
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = https.request(
      { host, port, method, path, rejectUnauthorized: !!ca, ca, timeout: 20_000, headers: payload ? { "Content-Type": "application/json", "Content-Length": payload.length } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Join through `remote`: check the cluster's CA against the token, then ask to be admitted. */
export async function requestJoin(remote: string, req: JoinRequest): Promise<JoinResponse> {
  const token = parseToken(req.token);
  let ca: string;
  try {
    ca = (await request(remote, "GET", "/ca", undefined)).json.ca;
  } catch (err) {
    throw new UnavailableError(`Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the "docker info" command to see the current swarm status of your node. (${remote}: ${errorMessage(err)})`);
  }
  if (!ca || !digestMatches(token, certDigest(ca))) {
    throw new InvalidArgumentError(`remote CA does not match fingerprint. Expected: ${token.digest}`);
  }
  const r = await request(remote, "POST", "/join", req, ca);
  if (r.status !== 200) {
    const msg = r.json?.message ?? `join failed with status ${r.status}`;
    throw r.status === 400 ? new InvalidArgumentError(msg) : new UnavailableError(msg);
  }
  return r.json as JoinResponse;
}

export function splitHostPort(addr: string, dflt: number): [string, number] {
  const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(addr.trim());
  if (!m || !m[1]) throw new InvalidArgumentError(`invalid address: ${addr}`);
  const port = m[2] ? Number(m[2]) : dflt;
  if (!(port > 0 && port < 65536)) throw new InvalidArgumentError(`invalid port in address ${addr}`);
  return [m[1], port];
}
