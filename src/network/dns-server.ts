import dgram from "node:dgram";
import * as dnsPacket from "dns-packet";
import { log } from "../lib/log.js";

/**
 * The embedded DNS server of one user-defined network. It listens on the
 * network's gateway address (port 53, UDP), answers A queries for the names
 * of containers on that network (container names, aliases, short IDs) and
 * forwards everything else to upstream resolvers (the asking container's
 * --dns servers, else the host's). Why the gateway address and not Docker's
 * 127.0.0.11: Node cannot bind inside a container's namespace; the gateway
 * is reachable from every container of the network and identifies it.
 */
export interface DnsLookup {
  /** IPv4 addresses for `name` on this network; empty when unknown here. */
  resolve(name: string): string[];
  /** Upstream servers for a query from `clientIp`. */
  upstreams(clientIp: string): string[];
}

const FORWARD_TIMEOUT_MS = 3000;

export class EmbeddedDns {
  private sock?: dgram.Socket;

  constructor(private readonly address: string, private readonly lookup: DnsLookup) {}

  async start(): Promise<void> {
    const sock = dgram.createSocket({ type: "udp4", reuseAddr: true });
    sock.on("message", (msg, rinfo) => void this.handle(msg, rinfo).catch((err) => log.debug("dns query failed", { error: String(err) })));
    await new Promise<void>((resolve, reject) => {
      sock.once("error", reject);
      sock.bind({ address: this.address, port: 53 }, () => {
        sock.removeAllListeners("error");
        sock.on("error", () => undefined);
        resolve();
      });
    });
    this.sock = sock;
  }

  async stop(): Promise<void> {
    const s = this.sock;
    this.sock = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  private async handle(msg: Buffer, rinfo: dgram.RemoteInfo): Promise<void> {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    if (!q) return;
    const name = q.name.replace(/\.$/, "");
    const ips = this.lookup.resolve(name);
    if (ips.length) {
      const answers = q.type === "A" ? ips.map((ip) => ({ type: "A" as const, name: q.name, ttl: 600, class: "IN" as const, data: ip })) : [];
      this.reply(rinfo, { type: "response", id: query.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: [q], answers });
      return;
    }
    if (q.type === "PTR" && isPrivateReverse(name)) {
      // Reverse lookups of private addresses (our own subnets) never leave the machine.
      this.reply(rinfo, { type: "response", id: query.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | 3 /* NXDOMAIN */, questions: [q] });
      return;
    }
    const answer = await forward(msg, this.lookup.upstreams(rinfo.address));
    if (answer) this.send(rinfo, answer);
    else this.reply(rinfo, { type: "response", id: query.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | 2 /* SERVFAIL */, questions: [q] });
  }

  private reply(rinfo: dgram.RemoteInfo, p: dnsPacket.Packet): void {
    this.send(rinfo, dnsPacket.encode(p));
  }

  private send(rinfo: dgram.RemoteInfo, b: Buffer): void {
    this.sock?.send(b, rinfo.port, rinfo.address);
  }
}

/** `d.c.b.a.in-addr.arpa` for an RFC 1918 or loopback address. */
export function isPrivateReverse(name: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/i.exec(name);
  if (!m) return false;
  const a = Number(m[4]);
  const b = Number(m[3]);
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** Ask each upstream in turn; the first answer wins. */
async function forward(msg: Buffer, servers: string[]): Promise<Buffer | undefined> {
  for (const server of servers) {
    const answer = await new Promise<Buffer | undefined>((resolve) => {
      const s = dgram.createSocket(server.includes(":") ? "udp6" : "udp4");
      const done = (b?: Buffer) => {
        clearTimeout(timer);
        s.close();
        resolve(b);
      };
      const timer = setTimeout(() => done(), FORWARD_TIMEOUT_MS);
      s.on("message", (b) => done(b));
      s.on("error", () => done());
      s.send(msg, 53, server);
    });
    if (answer) return answer;
  }
  return undefined;
}
