import path from "node:path/posix";
import { InvalidArgumentError } from "../../lib/errors.js";
import { decodeMeta, encodeMeta, type ContextMeta, type TlsMaterial } from "./context-store.js";

/**
 * `docker context export/import` archives: a tar of meta.json and
 * tls/<endpoint>/<file>, written the way Go's archive/tar writes ustar
 * (mode, zero uid/gid/mtime) so the docker CLI and wharf read each other's.
 */

const MAX_IMPORT = 10 << 20;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, mode: number, size: number, type: "0" | "5"): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, "utf8");
  h.write(octal(mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136);
  h.write("        ", 148);
  h.write(type, 156);
  h.write("ustar\0" + "00", 257);
  h.write(octal(0, 8), 329); // devmajor, devminor: Go writes them as zeros
  h.write(octal(0, 8), 337);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

function entry(name: string, mode: number, data?: Buffer): Buffer[] {
  if (!data) return [header(name, mode, 0, "5")];
  const pad = (512 - (data.length % 512)) % 512;
  return [header(name, mode, data.length, "0"), data, Buffer.alloc(pad)];
}

export function exportContext(meta: ContextMeta, tls: TlsMaterial): Buffer {
  const parts: Buffer[] = [...entry("meta.json", 0o644, Buffer.from(encodeMeta(meta))), ...entry("tls", 0o700)];
  for (const [ep, files] of Object.entries(tls)) {
    parts.push(...entry(`tls/${ep}`, 0o700));
    for (const [f, data] of Object.entries(files)) parts.push(...entry(`tls/${ep}/${f}`, 0o600, data));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

function field(h: Buffer, off: number, len: number): string {
  const s = h.subarray(off, off + len);
  const z = s.indexOf(0);
  return (z < 0 ? s : s.subarray(0, z)).toString("utf8");
}

/** Read an exported context: its metadata renamed to `name`, and its TLS files. */
export function importContext(name: string, archive: Buffer): { meta: ContextMeta; tls: TlsMaterial } {
  if (archive.length > MAX_IMPORT) throw new InvalidArgumentError("context archive is larger than 10 MiB");
  if (archive.subarray(0, 4).toString("latin1") === "PK\x03\x04") throw new InvalidArgumentError("zip context archives are not supported by wharf yet; export the context as a tar");
  let meta: ContextMeta | undefined;
  const tls: TlsMaterial = {};
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= archive.length) {
    const h = archive.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(field(h, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(h[156] || 48);
    const prefix = field(h, 345, 155);
    let p = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    longName = undefined;
    const data = archive.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type !== "0" && type !== "\0") continue;
    if (p !== "meta.json" && !p.startsWith("tls/")) throw new InvalidArgumentError(`${p}: unexpected context file`);
    if (path.normalize(p) !== p || p.includes("\\")) throw new InvalidArgumentError(`${p}: unexpected path format`);
    if (p === "meta.json") {
      meta = { ...decodeMeta(data.toString("utf8"), "meta.json"), Name: name };
      continue;
    }
    const rest = p.slice("tls/".length);
    const slash = rest.indexOf("/");
    if (slash <= 0 || rest.slice(slash + 1).includes("/")) throw new InvalidArgumentError("archive format is invalid");
    const ep = rest.slice(0, slash);
    (tls[ep] ??= {})[rest.slice(slash + 1)] = Buffer.from(data);
    p = "";
  }
  if (!meta) throw new InvalidArgumentError("invalid context: no metadata found");
  return { meta, tls };
}
