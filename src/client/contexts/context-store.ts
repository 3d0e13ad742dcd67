import type crypto from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { lazyBuiltin } from "../../lib/lazy-builtin.js";

const cryptoMod = lazyBuiltin<typeof crypto>("node:crypto");

/**
 * The docker CLI's context store, shared with it byte for byte:
 * `<config>/contexts/meta/<sha256(name)>/meta.json` and
 * `<config>/contexts/tls/<sha256(name)>/<endpoint>/{ca,cert,key}.pem`.
 */

/** A stored context as meta.json has it (Go field names). */
export interface ContextMeta {
  Name: string;
  /** DockerContext: Description plus any other fields, kept as read. */
  Metadata: Record<string, unknown>;
  Endpoints: Record<string, unknown>;
}

/** The "docker" endpoint of a context. */
export interface DockerEndpoint {
  Host?: string;
  SkipTLSVerify: boolean;
}

/** endpoint name → file name → contents. */
export type TlsMaterial = Record<string, Record<string, Buffer>>;

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$/;

export function validateContextName(name: string): void {
  if (name === "") throw new InvalidArgumentError("context name cannot be empty");
  if (name === "default") throw new InvalidArgumentError('"default" is a reserved context name');
  if (!NAME_RE.test(name)) throw new InvalidArgumentError(`context name "${name}" is invalid, names are validated against regexp "${NAME_RE.source}"`);
}

export function contextId(name: string): string {
  return cryptoMod().createHash("sha256").update(name).digest("hex");
}

/** Go's encoding/json string escaping of <, >, &, U+2028 and U+2029 on top of JSON.stringify. */
export function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function sortedObject(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** meta.json as the docker CLI writes it: Name, Metadata (keys sorted), Endpoints (sorted; docker's as Host?, SkipTLSVerify). */
export function encodeMeta(m: ContextMeta): string {
  const endpoints: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sortedObject(m.Endpoints))) {
    if (k !== "docker") {
      endpoints[k] = v;
      continue;
    }
    const ep = v as DockerEndpoint;
    endpoints[k] = { ...(ep.Host ? { Host: ep.Host } : {}), SkipTLSVerify: !!ep.SkipTLSVerify };
  }
  const out: Record<string, unknown> = {};
  if (m.Name) out.Name = m.Name;
  out.Metadata = sortedObject(m.Metadata ?? {});
  if (Object.keys(endpoints).length) out.Endpoints = endpoints;
  return goJson(out);
}

/** Parse meta.json leniently as Go does (field names are case-insensitive). */
export function decodeMeta(text: string, file: string): ContextMeta {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new InvalidArgumentError(`parsing ${file}: ${(err as Error).message}`);
  }
  const pick = (k: string) => Object.entries(raw ?? {}).find(([key]) => key.toLowerCase() === k)?.[1];
  const eps = (pick("endpoints") ?? {}) as Record<string, Record<string, unknown>>;
  const endpoints: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(eps)) {
    if (k !== "docker" || !v) {
      endpoints[k] = v;
      continue;
    }
    const get = (f: string) => Object.entries(v).find(([key]) => key.toLowerCase() === f)?.[1];
    endpoints[k] = { Host: (get("host") as string) || undefined, SkipTLSVerify: get("skiptlsverify") === true } satisfies DockerEndpoint;
  }
  return { Name: String(pick("name") ?? ""), Metadata: ((pick("metadata") as Record<string, unknown>) ?? {}) || {}, Endpoints: endpoints };
}

export function dockerEndpointOf(m: ContextMeta): DockerEndpoint | undefined {
  return m.Endpoints.docker as DockerEndpoint | undefined;
}

export function descriptionOf(m: ContextMeta): string {
  const d = m.Metadata?.Description;
  return typeof d === "string" ? d : "";
}

/** Go's sortorder.NaturalLess: digit runs compare as numbers. */
export function naturalLess(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const xa = a.match(re) ?? [];
  const xb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
    const [p, q] = [xa[i]!, xb[i]!];
    if (p === q) continue;
    const dp = /^\d/.test(p);
    const dq = /^\d/.test(q);
    if (dp && dq) {
      const d = Number(p) - Number(q);
      if (d !== 0) return d;
      return p.length - q.length;
    }
    return p < q ? -1 : 1;
  }
  return xa.length - xb.length;
}

function writeAtomic(file: string, data: string | Buffer, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, file);
}

export class ContextStore {
  readonly root: string;

  constructor(configDir: string) {
    this.root = path.join(configDir, "contexts");
  }

  metaPath(name: string): string {
    return path.join(this.root, "meta", contextId(name));
  }

  tlsPath(name: string): string {
    return path.join(this.root, "tls", contextId(name));
  }

  exists(name: string): boolean {
    try {
      return statSync(this.metaPath(name)).isDirectory();
    } catch {
      return false;
    }
  }

  get(name: string): ContextMeta {
    const file = path.join(this.metaPath(name), "meta.json");
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new NotFoundError(`context "${name}": context not found: open ${file}: no such file or directory`);
      throw err;
    }
    return decodeMeta(text, file);
  }

  list(): ContextMeta[] {
    const out: ContextMeta[] = [];
    const walk = (dir: string) => {
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch {
        return;
      }
      for (const e of entries) {
        const sub = path.join(dir, e);
        try {
          if (!statSync(sub).isDirectory()) continue;
        } catch {
          continue;
        }
        const file = path.join(sub, "meta.json");
        try {
          out.push(decodeMeta(readFileSync(file, "utf8"), file));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`failed to read metadata: ${(err as Error).message}`);
        }
        walk(sub);
      }
    };
    walk(path.join(this.root, "meta"));
    return out.sort((a, b) => naturalLess(a.Name, b.Name));
  }

  write(meta: ContextMeta): void {
    const dir = this.metaPath(meta.Name);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    writeAtomic(path.join(dir, "meta.json"), encodeMeta(meta), 0o644);
  }

  remove(name: string): void {
    rmSync(this.metaPath(name), { recursive: true, force: true });
    rmSync(this.tlsPath(name), { recursive: true, force: true });
  }

  /** endpoint → file names, as `context inspect` lists them. */
  listTls(name: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const dir = this.tlsPath(name);
    let eps: string[] = [];
    try {
      eps = readdirSync(dir).sort();
    } catch {
      return out;
    }
    for (const ep of eps) {
      try {
        if (!statSync(path.join(dir, ep)).isDirectory()) continue;
        out[ep] = readdirSync(path.join(dir, ep)).filter((f) => statSync(path.join(dir, ep, f)).isFile()).sort();
      } catch {
        /* vanished */
      }
    }
    return out;
  }

  readTls(name: string): TlsMaterial {
    const out: TlsMaterial = {};
    for (const [ep, files] of Object.entries(this.listTls(name))) {
      out[ep] = {};
      for (const f of files) out[ep][f] = readFileSync(path.join(this.tlsPath(name), ep, f));
    }
    return out;
  }

  /** Replace all TLS material of a context (create, import). */
  resetTls(name: string, material: TlsMaterial): void {
    rmSync(this.tlsPath(name), { recursive: true, force: true });
    for (const [ep, files] of Object.entries(material)) this.writeEndpointTls(name, ep, files);
  }

  /** Replace one endpoint's material (update --docker). */
  resetEndpointTls(name: string, ep: string, files: Record<string, Buffer> | undefined): void {
    rmSync(path.join(this.tlsPath(name), ep), { recursive: true, force: true });
    if (files) this.writeEndpointTls(name, ep, files);
  }

  private writeEndpointTls(name: string, ep: string, files: Record<string, Buffer>): void {
    if (Object.keys(files).length === 0) return;
    mkdirSync(this.root, { recursive: true, mode: 0o755 });
    const dir = path.join(this.tlsPath(name), ep);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const [f, data] of Object.entries(files)) writeAtomic(path.join(dir, f), data, 0o600);
  }
}
