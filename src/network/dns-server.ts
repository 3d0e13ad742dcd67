import dgram from "node:dgram";
import net from "node:net";
import * as dnsPacket from "dns-packet";
import { log } from "../lib/log.js";
import { canonicalIp6, ip6FromReverse } from "./ipam6.js";

/**
 * The embedded DNS server of one user-defined network, on the network's
 * gateway address, port 53, UDP and TCP. Containers reach it as 127.0.0.11
 * (Docker's address): a route in their netns sends that address to the
 * gateway and the daemon's NAT table rewrites it (see nat-rules.ts). It
 * answers A and AAAA for container names, aliases and short IDs (also as
 * `<name>.<network>`), PTR for container addresses (`<name>.<network>`), and
 * forwards everything else to upstream resolvers (the asking container's
 * --dns servers, else the host's). Why not inside the container's netns like
 * dockerd: Node cannot open a socket in another namespace.
 */
export interface DnsLookup {
  /** The addresses of `name` as the container at `clientIp` sees it; undefined when no container has that name. */
  resolve(clientIp: string, name: string): { v4: string[]; v6: string[] } | undefined;
  /** `<name>.<network>` of the container with address `ip`, for PTR. */
  reverse(clientIp: string, ip: string): string | undefined;
  /** Upstream servers for a query from `clientIp`. */
  upstreams(clientIp: string): string[];
}

const FORWARD_TIMEOUT_MS = 3000;
const TTL = 600;
const FLAGS = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE;
const NXDOMAIN = 3;
const SERVFAIL = 2;

export class EmbeddedDns {
  private udp?: dgram.Socket;
  private tcp?: net.Server;

  constructor(private readonly address: string, private readonly lookup: DnsLookup) {}

  async start(): Promise<void> {
    const udp = dgram.createSocket({ type: this.address.includes(":") ? "udp6" : "udp4", reuseAddr: true });
    udp.on("message", (msg, rinfo) => {
      void this.answer(msg, rinfo.address)
        .then((b) => b && udp.send(b, rinfo.port, rinfo.address))
        .catch((err) => log.debug("dns query failed", { error: String(err) }));
    });
    await new Promise<void>((resolve, reject) => {
      udp.once("error", reject);
      udp.bind({ address: this.address, port: 53 }, () => {
        udp.removeAllListeners("error");
        udp.on("error", () => undefined);
        resolve();
      });
    });
    this.udp = udp;
    const tcp = net.createServer({ allowHalfOpen: true }, (sock) => this.serveTcp(sock));
    await new Promise<void>((resolve) => {
      // TCP is a fallback for large answers: if the port is taken, UDP still serves.
      tcp.once("error", (err) => (log.warn("embedded DNS: no TCP listener", { address: this.address, error: String(err) }), resolve()));
      tcp.listen({ host: this.address, port: 53, exclusive: true }, () => {
        tcp.removeAllListeners("error");
        tcp.on("error", () => undefined);
        this.tcp = tcp;
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const u = this.udp;
    const t = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    if (u) await new Promise<void>((r) => u.close(() => r()));
    if (t) await new Promise<void>((r) => t.close(() => r()));
  }

  /** DNS over TCP: each message is preceded by its 16-bit length (RFC 1035 4.2.2). */
  private serveTcp(sock: net.Socket): void {
    let buf = Buffer.alloc(0);
    let pending = 0;
    let ended = false;
    const client = sock.remoteAddress?.replace(/^::ffff:/, "") ?? "";
    const maybeEnd = () => ended && pending === 0 && sock.end();
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on("error", () => undefined);
    // The client's half-close means "no more queries": finish the answers, then close.
    sock.on("end", () => ((ended = true), maybeEnd()));
    sock.on("data", (b: Buffer) => {
      buf = Buffer.concat([buf, b]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        pending++;
        void this.answer(Buffer.from(msg), client).then((out) => {
          pending--;
          if (out && !sock.destroyed) {
            const len = Buffer.alloc(2);
            len.writeUInt16BE(out.length);
            sock.write(Buffer.concat([len, out]));
          }
          maybeEnd();
        });
      }
      if (buf.length > 65537) sock.destroy();
    });
  }

  /** The encoded answer to one query, or undefined to stay silent (garbage). */
  async answer(msg: Buffer, client: string): Promise<Buffer | undefined> {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return undefined;
    }
    const q = query.questions?.[0];
    if (!q) return undefined;
    const reply = (answers: dnsPacket.Answer[], rcode = 0) => dnsPacket.encode({ type: "response", id: query.id, flags: FLAGS | rcode, questions: [q], answers });
    const name = q.name.replace(/\.$/, "");
    const found = this.lookup.resolve(client, name);
    if (found) {
      // A container's name: answer here, even with nothing of the asked type (NOERROR, no records), like dockerd.
      if (q.type === "A") return reply(found.v4.map((ip) => ({ type: "A", name: q.name, ttl: TTL, class: "IN", data: ip })));
      if (q.type === "AAAA") return reply(found.v6.map((ip) => ({ type: "AAAA", name: q.name, ttl: TTL, class: "IN", data: ip })));
      return reply([]);
    }
    if (q.type === "PTR") {
      const ip = ipFromReverse(name);
      const target = ip && this.lookup.reverse(client, ip);
      if (target) return reply([{ type: "PTR", name: q.name, ttl: TTL, class: "IN", data: target }]);
      // Reverse lookups of private addresses (our own subnets) never leave the machine.
      if (ip && isPrivateAddress(ip)) return reply([], NXDOMAIN);
    }
    const upstream = await forward(msg, this.lookup.upstreams(client));
    return upstream ?? reply([], SERVFAIL);
  }
}

/** The address a PTR name asks about (in-addr.arpa or ip6.arpa), canonical; undefined otherwise. */
export function ipFromReverse(name: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/i.exec(name);
  if (m) return `${m[4]}.${m[3]}.${m[2]}.${m[1]}`;
  return ip6FromReverse(name);
}

/** RFC 1918, loopback, link-local and unique local addresses. */
export function isPrivateAddress(ip: string): boolean {
  if (ip.includes(":")) {
    const c = canonicalIp6(ip);
    return c === "::1" || /^f[cd]/i.test(c) || /^fe[89ab]/i.test(c);
  }
  const [a, b] = ip.split(".").map(Number);
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
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
