import type { IncomingMessage, ServerResponse } from "node:http";
import { Duplex } from "node:stream";

/**
 * Attach and exec start without `Upgrade: tcp` (dockerode, curl): dockerd then
 * hijacks the connection anyway and streams the output as a plain body with
 * neither Content-Length nor chunking, ending it by closing the connection when
 * the process exits. This Duplex gives the daemon that same stream shape over
 * Node's response: writes go out raw, `end()` closes the connection.
 *
 * The read side is the container's stdin: a chunked request body (dockerode's
 * `stdin: true` keeps the request open and writes into it) is forwarded as it
 * arrives and its end closes stdin; a request without a body leaves stdin open
 * until the client goes away, as on dockerd's hijacked connection.
 */
export class PlainHttpStream extends Duplex {
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    super({ allowHalfOpen: true });
    const chunked = /\bchunked\b/i.test(String(req.headers["transfer-encoding"] ?? ""));
    if (chunked && !req.complete) {
      req.on("data", (b: Buffer) => {
        if (!this.push(b)) req.pause();
      });
      req.once("end", () => this.push(null));
    }
    res.once("close", () => this.destroy());
  }

  /** Send the status line and headers; the body that follows has no framing and ends with the connection. */
  open(headers: Record<string, string>): this {
    // Without Content-Length and Transfer-Encoding Node writes the body raw and closes the connection
    // after it; no Connection header either (it would announce a keep-alive that cannot happen).
    this.res.removeHeader("Content-Length");
    this.res.removeHeader("Transfer-Encoding");
    this.res.removeHeader("Connection");
    this.res.writeHead(200, headers);
    this.res.flushHeaders();
    return this;
  }

  override _read(): void {
    this.req.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.res.destroyed) return cb();
    if (this.res.write(chunk)) cb();
    else this.res.once("drain", () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.res.writableEnded) return cb();
    this.res.end(() => cb());
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.res.writableEnded) this.res.destroy();
    cb(err);
  }
}
