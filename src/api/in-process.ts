import { duplexPair, type Duplex } from "node:stream";

/**
 * Both ends of an in-memory connection that node's http client and server
 * accept as sockets: the socket tuning calls they make (keep-alive, Nagle,
 * timeouts, ref counting) mean nothing here and do nothing.
 */
export function socketPair(identity: string): [client: Duplex, server: Duplex] {
  const [client, server] = duplexPair();
  for (const s of [client, server]) {
    const t = s as unknown as Record<string, unknown>;
    for (const m of ["setKeepAlive", "setNoDelay", "setTimeout", "ref", "unref"]) t[m] = function (this: unknown) {
      return this;
    };
  }
  (server as unknown as { inProcessIdentity: string }).inProcessIdentity = identity;
  return [client, server];
}
