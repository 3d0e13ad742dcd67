/**
 * Docker's stdcopy framing for non-TTY streams (attach, exec, logs):
 * an 8-byte header [stream, 0, 0, 0, size u32 BE] before each payload.
 * Stream 1 is stdout, 2 stderr.
 */
export function stdcopyHeader(stream: number, size: number): Buffer {
  const hdr = Buffer.alloc(8);
  hdr[0] = stream;
  hdr.writeUInt32BE(size, 4);
  return hdr;
}

/** One framed payload as a single buffer. */
export function stdcopyFrame(stream: number, payload: Buffer): Buffer {
  return Buffer.concat([stdcopyHeader(stream, payload.length), payload]);
}
