/**
 * A tar writer with no safety net, for tests: every header field is written
 * as given (negative or huge sizes, odd names, any type flag), PAX records
 * may carry any key, and bodies need not match the declared size. Hostile
 * archives are built with it; the engine under test must survive them.
 */
import { createHash } from "node:crypto";

export interface RawEntry {
  name: string;
  /** Type flag: "0" file (default), "1" hard link, "2" symlink, "3" char dev, "4" block dev, "5" dir, "6" fifo, "x" PAX, "g" global PAX, "L" GNU long name, "S" GNU sparse, … */
  type?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  /** The size field; a Buffer is written raw (12 bytes: e.g. base-256 negative numbers). Default: the body's length. */
  size?: number | Buffer;
  mtime?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  body?: Buffer | string;
  /** PAX records written in an "x" header before this entry (keys and values as given). */
  pax?: [string, string][];
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, "0").slice(-(width - 1)) + "\0";
}

/** One 512-byte ustar header with a correct checksum. */
export function rawHeader(e: RawEntry, size: number | Buffer): Buffer {
  const h = Buffer.alloc(512);
  h.write(e.name.slice(0, 100), 0, 100, "utf8");
  h.write(octal(e.mode ?? (e.type === "5" ? 0o755 : 0o644), 8), 100, "ascii");
  h.write(octal(e.uid ?? 0, 8), 108, "ascii");
  h.write(octal(e.gid ?? 0, 8), 116, "ascii");
  if (Buffer.isBuffer(size)) size.copy(h, 124, 0, 12);
  else h.write(octal(size, 12), 124, "ascii");
  h.write(octal(e.mtime ?? 1_700_000_000, 12), 136, "ascii");
  h.write(e.type ?? "0", 156, 1, "ascii");
  h.write((e.linkname ?? "").slice(0, 100), 157, 100, "utf8");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write("root", 265, "ascii");
  h.write("root", 297, "ascii");
  h.write(octal(e.devmajor ?? 0, 8), 329, "ascii");
  h.write(octal(e.devminor ?? 0, 8), 337, "ascii");
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + " ", 148, "ascii");
  return h;
}

function pad(n: number): Buffer {
  return Buffer.alloc((512 - (n % 512)) % 512);
}

/** PAX records: "<len> key=value\n", where len counts the whole record. */
export function paxRecords(records: [string, string][]): Buffer {
  const parts = records.map(([k, v]) => {
    const body = ` ${k}=${v}\n`;
    const bodyLen = Buffer.byteLength(body);
    let len = bodyLen + 1;
    while (bodyLen + String(len).length !== len) len = bodyLen + String(len).length;
    return Buffer.from(`${len}${body}`);
  });
  return Buffer.concat(parts);
}

/** A complete archive (two zero blocks at the end unless `unterminated`). */
export function rawTar(entries: RawEntry[], opts: { unterminated?: boolean } = {}): Buffer {
  const out: Buffer[] = [];
  for (const e of entries) {
    if (e.pax) {
      const data = paxRecords(e.pax);
      out.push(rawHeader({ name: "PaxHeaders/x", type: "x" }, data.length), data, pad(data.length));
    }
    const body = e.body === undefined ? Buffer.alloc(0) : Buffer.from(e.body);
    out.push(rawHeader(e, e.size ?? body.length), body, pad(body.length));
  }
  if (!opts.unterminated) out.push(Buffer.alloc(1024));
  return Buffer.concat(out);
}

export function sha256(b: Buffer): string {
  return createHash("sha256").update(b).digest("hex");
}

/**
 * A docker-archive (what `docker save` writes) holding one image whose only
 * layer is `layer`, tagged `tag`. `extra` members are added to the outer
 * archive as given (hostile ones included).
 */
export function dockerArchive(layer: Buffer, tag: string, extra: RawEntry[] = []): Buffer {
  const config = Buffer.from(JSON.stringify({
    architecture: "amd64", os: "linux", config: { Cmd: ["sh"] }, created: "2024-01-01T00:00:00Z",
    rootfs: { type: "layers", diff_ids: [`sha256:${sha256(layer)}`] }, history: [{ created: "2024-01-01T00:00:00Z" }],
  }));
  const configName = `${sha256(config)}.json`;
  const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: ["l1/layer.tar"] }]));
  return rawTar([
    { name: configName, body: config },
    { name: "l1/", type: "5" },
    { name: "l1/layer.tar", body: layer },
    { name: "manifest.json", body: manifest },
    ...extra,
  ]);
}
