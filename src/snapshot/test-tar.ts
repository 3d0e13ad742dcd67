import { Header, type HeaderData } from "tar";

/** One entry for `buildTar`: a header plus optional file content. Test helper. */
export interface TarSpec extends HeaderData {
  path: string;
  body?: string | Buffer;
}

/**
 * Build an uncompressed ustar archive in memory from exact headers, so tests
 * can produce whiteouts, ownership, devices and hostile paths that a real
 * filesystem walk could not. Paths must fit ustar (<100 bytes).
 */
export function buildTar(entries: TarSpec[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = e.body === undefined ? Buffer.alloc(0) : Buffer.from(e.body);
    const type = e.type ?? "File";
    const header = new Header({
      mode: type === "Directory" ? 0o755 : 0o644,
      uid: 0,
      gid: 0,
      mtime: new Date("2024-01-02T03:04:05Z"),
      ...e,
      type,
      size: type === "File" ? body.length : 0,
    });
    const buf = Buffer.alloc(512);
    header.encode(buf, 0);
    blocks.push(buf);
    if (type === "File" && body.length > 0) {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
