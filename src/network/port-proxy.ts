import net from "node:net";
import dgram from "node:dgram";
import { WharfError } from "../lib/errors.js";

/**
 * The userland proxy (docker-proxy's role), inside the daemon: listens on a
 * published host address and splices each connection to the container. It
 * also holds the host port, so a second publisher or another program gets
 * "address already in use". With `forward: false` it only holds the port
 * (kernel DNAT does all the forwarding, --userland-proxy=false).
 */
export interface ProxySpec {
  proto: "tcp" | "udp";
  hostIp: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
  forward: boolean;
}

export interface RunningProxy {
  readonly spec: ProxySpec;
  close(): Promise<void>;
}

const UDP_IDLE_MS = 90_000;

export async function startProxy(spec: ProxySpec): Promise<RunningProxy> {
  return spec.proto === "tcp" ? startTcp(spec) : startUdp(spec);
}

function bindError(spec: ProxySpec, err: NodeJS.ErrnoException): WharfError {
  const host = spec.hostIp.includes(":") ? `[${spec.hostIp}]` : spec.hostIp;
  const fam = spec.hostIp.includes(":") ? "6" : "4";
  const why = err.code === "EADDRINUSE" ? "bind: address already in use" : err.code === "EADDRNOTAVAIL" ? "bind: cannot assign requested address" : err.message;
  return new WharfError(`listen ${spec.proto}${fam} ${host}:${spec.hostPort}: ${why}`);
}

function startTcp(spec: ProxySpec): Promise<RunningProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    if (!spec.forward) return void client.destroy();
    sockets.add(client);
    const upstream = net.connect({ host: spec.containerIp, port: spec.containerPort });
    sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const done = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    upstream.once("connect", () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    client.on("error", done).on("close", done);
    upstream.on("error", done).on("close", done);
  });
  return new Promise((resolve, reject) => {
    server.once("error", (err) => reject(bindError(spec, err as NodeJS.ErrnoException)));
    server.listen({ host: spec.hostIp, port: spec.hostPort, ipv6Only: spec.hostIp === "::", backlog: 1024 }, () => {
      server.removeAllListeners("error");
      server.on("error", () => undefined);
      resolve({
        spec,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** UDP: one upstream socket per client address, dropped after a quiet period (docker-proxy does the same). */
function startUdp(spec: ProxySpec): Promise<RunningProxy> {
  const six = spec.hostIp.includes(":");
  const sock = dgram.createSocket({ type: six ? "udp6" : "udp4", ipv6Only: spec.hostIp === "::" });
  const flows = new Map<string, { up: dgram.Socket; timer: NodeJS.Timeout }>();
  const drop = (key: string) => {
    const f = flows.get(key);
    if (!f) return;
    clearTimeout(f.timer);
    f.up.close();
    flows.delete(key);
  };
  sock.on("message", (msg, rinfo) => {
    if (!spec.forward) return;
    const key = `${rinfo.address}:${rinfo.port}`;
    let f = flows.get(key);
    if (!f) {
      const up = dgram.createSocket("udp4");
      up.on("message", (reply) => sock.send(reply, rinfo.port, rinfo.address));
      up.on("error", () => drop(key));
      f = { up, timer: setTimeout(() => drop(key), UDP_IDLE_MS) };
      flows.set(key, f);
    }
    f.timer.refresh();
    f.up.send(msg, spec.containerPort, spec.containerIp);
  });
  return new Promise((resolve, reject) => {
    sock.once("error", (err) => reject(bindError(spec, err as NodeJS.ErrnoException)));
    sock.bind({ address: spec.hostIp, port: spec.hostPort }, () => {
      sock.removeAllListeners("error");
      sock.on("error", () => undefined);
      resolve({
        spec,
        close: async () => {
          for (const k of [...flows.keys()]) drop(k);
          await new Promise<void>((r) => sock.close(() => r()));
        },
      });
    });
  });
}
