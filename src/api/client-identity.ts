import type net from "node:net";
import { TLSSocket } from "node:tls";
import { peerCred } from "../lib/peercred/peer-cred.js";

const cache = new WeakMap<object, string>();

/**
 * Who is on the other end of an API connection, for the debug log: the
 * client certificate's subject on TLS, the peer's uid on the unix socket,
 * the address on plain tcp. Computed once per connection.
 */
export function clientIdentity(socket: net.Socket): string {
  let id = cache.get(socket);
  if (id === undefined) {
    id = identify(socket);
    cache.set(socket, id);
  }
  return id;
}

function identify(socket: net.Socket): string {
  const inProcess = (socket as unknown as { inProcessIdentity?: string }).inProcessIdentity;
  if (inProcess) return inProcess;
  const from = socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : "";
  if (socket instanceof TLSSocket) {
    const cert = socket.getPeerCertificate();
    if (cert && cert.subject) return `tls client "${subjectString(cert.subject as unknown as Record<string, string | string[]>)}" from ${from}`;
    return `tls without client certificate from ${from}`;
  }
  if (from) return `unauthenticated tcp from ${from}`;
  const cred = peerCred(socket);
  return cred ? `unix socket uid ${cred.uid} (pid ${cred.pid})` : "unix socket uid unknown";
}

/** "CN=alice,OU=ops,O=example" in the RDN order Go prints (most specific first). */
function subjectString(subject: Record<string, string | string[]>): string {
  const order = ["CN", "OU", "O", "POSTALCODE", "STREET", "L", "ST", "C", "SERIALNUMBER"];
  const keys = [...order.filter((k) => k in subject), ...Object.keys(subject).filter((k) => !order.includes(k))];
  return keys.flatMap((k) => ([] as string[]).concat(subject[k]).map((v) => `${k}=${v}`)).join(",");
}
