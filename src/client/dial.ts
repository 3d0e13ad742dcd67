import http from "node:http";
import type https from "node:https";
import net from "node:net";
import type tls from "node:tls";
import type { Duplex } from "node:stream";
import type { EngineHost, InProcessHost } from "./host.js";
import { SshStream } from "./ssh-stream.js";
import { lazyBuiltin } from "../lib/lazy-builtin.js";

// TLS (and crypto under it) only for endpoints that use it: most commands talk to a unix socket.
const httpsMod = lazyBuiltin<typeof https>("node:https");
const tlsMod = lazyBuiltin<typeof tls>("node:tls");

/**
 * TLS towards the engine (`--tls`, `--tlsverify`, a context's TLS material):
 * PEM contents, not paths. Without `ca` the system roots verify the server.
 */
export interface ClientTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** `--tls` without `--tlsverify`, or a context's skip-tls-verify. */
  skipVerify: boolean;
}

/** How one endpoint is reached: the request function, a keep-alive agent, per-request options. */
export interface Dial {
  request: typeof http.request;
  agent: http.Agent;
  /** Options for a request that must not use the agent (a hijacked stream); node ignores createConnection unless agent is undefined. */
  direct(): http.RequestOptions;
  /** Options added to every request (address, TLS). */
  base: http.RequestOptions;
}

function tlsOptions(t: ClientTls): tls.ConnectionOptions {
  return { ca: t.ca, cert: t.cert, key: t.key, rejectUnauthorized: !t.skipVerify, minVersion: "TLSv1.2" };
}

/** An agent whose connections are ssh processes. */
class SshAgent extends http.Agent {
  constructor(private readonly host: Extract<EngineHost, { kind: "ssh" }>) {
    super({ keepAlive: true, maxSockets: 8 });
  }
  override createConnection(): Duplex {
    return new SshStream(this.host);
  }
}

// Plain HTTP has no TLS server name: an empty one stops Node's agent from deriving it from the
// Host header with net.isIP, whose first call compiles the IPv6 pattern (~30 ms of a CLI start).
const NO_SNI = { servername: "" } as http.RequestOptions;

/** An agent whose connections are the host's in-memory streams. */
class InProcessAgent extends http.Agent {
  constructor(private readonly host: InProcessHost) {
    super({ keepAlive: true, maxSockets: 16 });
  }
  override createConnection(): Duplex {
    return this.host.connect();
  }
}

export function makeDial(host: EngineHost, clientTls?: ClientTls): Dial {
  if (host.kind === "in-process") {
    const base = { host: "localhost", ...NO_SNI };
    return { request: http.request, agent: new InProcessAgent(host), base, direct: () => ({ ...base, agent: undefined, createConnection: () => host.connect() as unknown as net.Socket }) };
  }
  if (host.kind === "unix") {
    const base = { socketPath: host.socketPath, host: "localhost", ...NO_SNI };
    return { request: http.request, agent: new http.Agent({ keepAlive: true, maxSockets: 8 }), base, direct: () => base };
  }
  if (host.kind === "ssh") {
    const base = { host: "docker.example.com", ...NO_SNI }; // docker's placeholder: the address is the ssh command's
    return { request: http.request, agent: new SshAgent(host), base, direct: () => ({ ...base, agent: undefined, createConnection: () => new SshStream(host) as unknown as net.Socket }) };
  }
  if (clientTls) {
    const t = tlsOptions(clientTls);
    const base = { host: host.hostname, port: host.port, ...t };
    return { request: httpsMod().request, agent: new (httpsMod().Agent)({ keepAlive: true, maxSockets: 8, ...t }), base, direct: () => base };
  }
  const base = { host: host.hostname, port: host.port, ...NO_SNI };
  return { request: http.request, agent: new http.Agent({ keepAlive: true, maxSockets: 8 }), base, direct: () => base };
}

/** A raw byte stream to the engine, as `system dial-stdio` proxies it. */
export function dialRaw(host: EngineHost, clientTls?: ClientTls): Promise<Duplex & { end(): unknown }> {
  return new Promise((resolve, reject) => {
    if (host.kind === "ssh") return resolve(new SshStream(host));
    if (host.kind === "in-process") return resolve(host.connect());
    let s: net.Socket;
    if (host.kind === "unix") s = net.connect(host.socketPath);
    else if (clientTls) s = tlsMod().connect({ host: host.hostname, port: host.port, servername: net.isIP(host.hostname) ? undefined : host.hostname, ...tlsOptions(clientTls), allowHalfOpen: true } as tls.ConnectionOptions);
    else s = net.connect({ host: host.hostname, port: host.port, allowHalfOpen: true });
    s.once(clientTls && host.kind === "tcp" ? "secureConnect" : "connect", () => {
      s.off("error", reject);
      resolve(s);
    });
    s.once("error", reject);
  });
}
