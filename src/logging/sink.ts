/** One record on its way to a remote receiver. */
export interface OutRecord {
  /** The line without its newline. */
  line: Buffer;
  stream: "stdout" | "stderr";
  timeNano: bigint;
  /** A piece of a line longer than 16 KiB, or output that ended without a newline. */
  partial: boolean;
  seq: number;
}

/**
 * A remote log receiver (syslog, journald, fluentd, gelf). Lifecycle: open()
 * once (it throws dockerd's "failed to initialize" reasons: nothing listens,
 * no journal), then send() batches in order, each resolved once the transport
 * took it (and, for fluentd with request-ack, once acknowledged); a rejected
 * send is retried by the forwarder with the same batch. close() at the end.
 * A sink reconnects by itself on the next send after a broken connection.
 */
export interface LogSink {
  open(): Promise<void>;
  send(batch: OutRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** Resolve, reject or time out a socket write (a stalled receiver must not hang a retry forever). */
export function writeWithTimeout(write: (cb: (err?: Error | null) => void) => void, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = ms > 0 ? setTimeout(() => reject(new Error(`${what}: write timed out after ${ms} ms`)), ms) : undefined;
    write((err) => {
      if (t) clearTimeout(t);
      if (err) reject(err);
      else resolve();
    });
  });
}
