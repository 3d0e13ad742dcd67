import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type net from "node:net";

/** Credentials of the process at the other end of a unix socket. */
export interface PeerCred {
  pid: number;
  uid: number;
  gid: number;
}

type Addon = { peerCred(fd: number): PeerCred | undefined };
let addon: Addon | null | undefined;

function load(): Addon | null {
  if (addon !== undefined) return addon;
  const here = path.dirname(fileURLToPath(import.meta.url)); // dist/src/lib/peercred
  try {
    addon = createRequire(import.meta.url)(path.resolve(here, "../../../bin/peercred.node")) as Addon;
  } catch {
    addon = null; // built without node's headers: callers report "unknown"
  }
  return addon;
}

/** SO_PEERCRED of a connected unix socket; undefined when unknown. */
export function peerCred(socket: net.Socket): PeerCred | undefined {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== "number" || fd < 0) return undefined;
  return load()?.peerCred(fd);
}
