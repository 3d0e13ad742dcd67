import os from "node:os";
import { isIP } from "node:net";
import { InvalidArgumentError } from "../lib/errors.js";
import { splitHostPort } from "./join-endpoint.js";

export const SWARM_PORT = 2377;

/** An address flag (`10.0.0.1`, `10.0.0.1:2377`, `eth0`, `eth0:2377`) to an IPv4 address and port. */
export function resolveAddr(spec: string | undefined, dfltPort: number): { ip?: string; port: number } {
  if (!spec) return { port: dfltPort };
  const [host, port] = splitHostPort(spec, dfltPort);
  if (isIP(host)) return { ip: host, port };
  const ifc = os.networkInterfaces()[host];
  const v4 = ifc?.find((a) => a.family === "IPv4");
  if (!v4) throw new InvalidArgumentError(`interface ${host} has no usable IPv4 address`);
  return { ip: v4.address, port };
}

/** Like dockerd: the advertise address is the one non-loopback IPv4 address, unless there are several. */
export function detectAddr(excludeIfaces: (name: string) => boolean): string {
  const found: { name: string; ip: string }[] = [];
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    if (excludeIfaces(name)) continue;
    for (const a of addrs ?? []) if (a.family === "IPv4" && !a.internal) found.push({ name, ip: a.address });
  }
  if (found.length === 1) return found[0].ip;
  if (found.length === 0) throw new InvalidArgumentError("could not find the system's IP address - specify one with --advertise-addr");
  throw new InvalidArgumentError(
    `could not choose an IP address to advertise since this system has multiple addresses on different interfaces (${found.map((f) => `${f.ip} on ${f.name}`).join(" and ")}) - specify one with --advertise-addr`,
  );
}
