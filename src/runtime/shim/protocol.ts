/**
 * Frame protocol spoken on a shim's control socket (shim.sock). The header is
 * Docker's stdcopy header: [type u8, 0, 0, 0, length u32 big-endian], then
 * `length` payload bytes, so the API layer may reuse this for stdcopy too.
 */
import { EventEmitter } from "node:events";

/** Client → shim: bytes for the container's stdin. (Docker stdcopy: stdin.) */
export const FRAME_STDIN = 0;
/** Shim → client: container stdout (all output when there is a TTY). */
export const FRAME_STDOUT = 1;
/** Shim → client: container stderr. */
export const FRAME_STDERR = 2;
/** Shim → client: the process exited; payload is exit.json. */
export const FRAME_EXIT = 3;
/** Shim → client: reply to a request, `{"ok":true}` or `{"ok":false,"error":"..."}`. */
export const FRAME_REPLY = 4;
/** Client → shim: close the container's stdin (EOF). */
export const FRAME_CLOSE_STDIN = 5;
/** Client → shim: resize the pty, payload `{"h":rows,"w":cols}`. */
export const FRAME_RESIZE = 6;
/** Client → shim: start the created container; answered by FRAME_REPLY. */
export const FRAME_START = 7;
/** Client → shim: send me output frames from now on. */
export const FRAME_SUBSCRIBE = 8;
/** Client → shim: a log spool's records up to this seq (u64 big-endian) are delivered. */
export const FRAME_LOG_ACK = 9;

export const FRAME_HEADER_SIZE = 8;
/** Largest payload either side accepts (the shim drops clients beyond it). */
export const FRAME_MAX_PAYLOAD = 1 << 20;

export interface Frame {
  type: number;
  payload: Buffer;
}

export function encodeFrame(type: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(FRAME_HEADER_SIZE);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/**
 * Streaming decoder: push() chunks as they arrive; a "frame" event is emitted
 * for each complete frame, in order. A header announcing more than
 * maxPayload bytes emits "error" and the decoder stops (the stream is corrupt).
 */
export class FrameDecoder extends EventEmitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private failed = false;

  constructor(private readonly maxPayload = FRAME_MAX_PAYLOAD) {
    super();
  }

  push(chunk: Buffer): void {
    if (this.failed) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    let offset = 0;
    while (buf.length - offset >= FRAME_HEADER_SIZE) {
      const type = buf[offset]!;
      const length = buf.readUInt32BE(offset + 4);
      if (length > this.maxPayload) {
        this.failed = true;
        this.emit("error", new Error(`frame of ${length} bytes exceeds ${this.maxPayload}`));
        return;
      }
      if (buf.length - offset < FRAME_HEADER_SIZE + length) break;
      const start = offset + FRAME_HEADER_SIZE;
      const frame: Frame = { type, payload: buf.subarray(start, start + length) };
      offset = start + length;
      this.emit("frame", frame);
    }
    buf = buf.subarray(offset);
    this.pending = buf.length ? [buf] : [];
    this.pendingBytes = buf.length;
  }

  /** Bytes received that do not yet form a complete frame. */
  get buffered(): number {
    return this.pendingBytes;
  }
}
