import net from "node:net";

export interface RawResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Everything after the headers, up to the server's close. */
  body: Buffer;
}

export interface RawRequestOptions {
  headers?: Record<string, string>;
  /** JSON-encoded unless a Buffer or string. */
  body?: unknown;
  /** Send `Connection: Upgrade` + `Upgrade: tcp`, as the docker CLI does for attach and exec. */
  upgrade?: boolean;
  /** Written once the response headers arrived (the process's stdin on a hijacked stream). */
  stdin?: string | Buffer;
  /** Half-close our side after `stdin` (EOF for the process). */
  closeWrite?: boolean;
  timeoutMs?: number;
}

/**
 * One HTTP/1.1 request on a fresh unix-socket connection, read byte for byte
 * until the server closes it: what a hijacked or unframed stream looks like on
 * the wire, without a client library interpreting it.
 */
export function rawRequest(socketPath: string, method: string, path: string, o: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const payload = o.body === undefined ? undefined : Buffer.isBuffer(o.body) ? o.body : Buffer.from(typeof o.body === "string" ? o.body : JSON.stringify(o.body));
    const headers: Record<string, string> = { Host: "localhost", ...(o.upgrade ? { Connection: "Upgrade", Upgrade: "tcp" } : {}), ...o.headers };
    if (payload) {
      headers["Content-Type"] ??= "application/json";
      headers["Content-Length"] = String(payload.length);
    }
    const sock = net.connect(socketPath);
    const chunks: Buffer[] = [];
    let head: { status: number; headers: Record<string, string>; offset: number } | undefined;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`${method} ${path}: no end of stream within ${o.timeoutMs ?? 15_000} ms; got ${JSON.stringify(Buffer.concat(chunks).toString("latin1"))}`));
    }, o.timeoutMs ?? 15_000);
    sock.on("data", (b: Buffer) => {
      chunks.push(b);
      if (head) return;
      const all = Buffer.concat(chunks);
      const end = all.indexOf("\r\n\r\n");
      if (end < 0) return;
      const lines = all.subarray(0, end).toString("latin1").split("\r\n");
      const hs: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(":");
        hs[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      head = { status: Number(lines[0].split(" ")[1]), headers: hs, offset: end + 4 };
      if (o.stdin !== undefined) sock.write(o.stdin);
      if (o.closeWrite) sock.end();
    });
    sock.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.on("close", () => {
      clearTimeout(timer);
      if (!head) return reject(new Error(`${method} ${path}: connection closed before the response headers`));
      resolve({ status: head.status, headers: head.headers, body: Buffer.concat(chunks).subarray(head.offset) });
    });
    const lines = [`${method} ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    sock.write(lines.join("\r\n") + "\r\n\r\n");
    if (payload) sock.write(payload);
  });
}

/** Split Docker's stdcopy framing into stdout and stderr text; throws on a malformed frame. */
export function demux(body: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  for (let off = 0; off < body.length; ) {
    if (off + 8 > body.length || body[1 + off] !== 0 || ![0, 1, 2].includes(body[off])) throw new Error(`not a stdcopy stream at byte ${off}: ${JSON.stringify(body.toString("latin1"))}`);
    const len = body.readUInt32BE(off + 4);
    (body[off] === 2 ? err : out).push(body.subarray(off + 8, off + 8 + len));
    off += 8 + len;
  }
  return { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}
