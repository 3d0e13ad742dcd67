import path from "node:path";
import { InvalidProjectError } from "../errors.js";
import type { Dict, VolumeMount } from "../model.js";
import { shellSplit } from "./shell-split.js";
import { parsePortShort, parseVolumeShort, resolveHostPath } from "./short-syntax.js";
import { OverrideTag, ResetTag } from "./tags.js";

/**
 * One service of one file, short syntaxes expanded to the long form so
 * files merge key by key: lists-or-dicts become dicts, ports and volumes
 * become objects, relative paths become absolute against `base` (the
 * directory the declaring file's paths are relative to). Schema validation
 * has already run, so shapes are known; `!reset`/`!override` pass through.
 */
export function normalizeService(name: string, raw: Dict, base: string, file: string): Dict {
  const out: Dict = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value instanceof ResetTag) {
      out[key] = value;
      continue;
    }
    if (value instanceof OverrideTag) {
      out[key] = new OverrideTag(normalizeKey(name, key, value.value, base, file));
      continue;
    }
    out[key] = normalizeKey(name, key, value, base, file);
  }
  return out;
}

function normalizeKey(service: string, key: string, v: unknown, base: string, file: string): unknown {
  const where = `services.${service}.${key}`;
  try {
    switch (key) {
      case "build":
        return normalizeBuild(v, base);
      case "command":
      case "entrypoint":
        return typeof v === "string" ? shellSplit(v) : v;
      case "environment":
      case "labels":
      case "sysctls":
      case "annotations":
        return listOrDict(v, key === "environment");
      case "extra_hosts":
        return extraHosts(v);
      case "env_file":
        return (Array.isArray(v) ? v : [v]).map((e) =>
          typeof e === "string" ? { path: resolveHostPath(e, base), required: true } : { ...(e as Dict), path: resolveHostPath(String((e as Dict).path), base), required: (e as Dict).required !== false && (e as Dict).required !== "false" },
        );
      case "ports":
        return (v as unknown[]).flatMap((p): unknown[] => (typeof p === "object" && p !== null ? [longPort(p as Dict)] : parsePortShort(p as string | number)));
      case "expose":
        return (v as unknown[]).map(String);
      case "volumes":
        return (v as unknown[]).map((m) => (typeof m === "string" ? parseVolumeShort(m, base) : longVolume(m as Dict, base)));
      case "depends_on":
        return dependsOn(v);
      case "networks":
        return Array.isArray(v) ? Object.fromEntries(v.map((n) => [String(n), null])) : v;
      case "healthcheck":
        return healthcheck(v as Dict);
      case "dns":
      case "dns_search":
      case "tmpfs":
      case "cap_add":
      case "cap_drop":
      case "profiles":
        return typeof v === "string" ? [v] : v;
      case "secrets":
      case "configs":
        return (v as unknown[]).map((s) => (typeof s === "string" ? { source: s } : s));
      case "ulimits":
        return Object.fromEntries(Object.entries(v as Dict).map(([k, u]) => [k, typeof u === "object" && u !== null ? u : { soft: Number(u), hard: Number(u) }]));
      case "extends":
        return typeof v === "string" ? { service: v } : v;
      default:
        return v;
    }
  } catch (err) {
    if (err instanceof InvalidProjectError) throw err;
    throw new InvalidProjectError(`${file}: ${where}: ${(err as Error).message}`);
  }
}

/** `["A=1", "B"]` or `{A: 1, B: null}` → `{A: "1", B: null}` (values as strings, as compose keeps them). */
export function listOrDict(v: unknown, allowNull: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    for (const item of v as string[]) {
      const eq = item.indexOf("=");
      if (eq < 0) out[item] = allowNull ? null : "";
      else out[item.slice(0, eq)] = item.slice(eq + 1);
    }
    return out;
  }
  for (const [k, val] of Object.entries((v ?? {}) as Dict)) out[k] = val === null || val === undefined ? (allowNull ? null : "") : String(val);
  return out;
}

function extraHosts(v: unknown): Record<string, string | string[]> {
  if (!Array.isArray(v)) return v as Record<string, string | string[]>;
  const out: Record<string, string | string[]> = {};
  for (const item of v as string[]) {
    // "host:ip", "host=ip"; an IPv6 address keeps its colons after the first separator
    const m = /^([^:=]+)[:=](.*)$/.exec(item);
    if (!m) throw new Error(`invalid extra host "${item}": expected host:ip`);
    const ip = m[2].replace(/^\[(.*)\]$/, "$1");
    const prev = out[m[1]];
    out[m[1]] = prev === undefined ? ip : [...(Array.isArray(prev) ? prev : [prev]), ip];
  }
  return out;
}

function normalizeBuild(v: unknown, base: string): Dict {
  const b: Dict = typeof v === "string" ? { context: v } : { ...(v as Dict) };
  const ctx = String(b.context ?? ".");
  b.context = /^(https?:|git@|git:\/\/|github\.com\/)/.test(ctx) ? ctx : resolveHostPath(ctx, base);
  if (b.args !== undefined) b.args = listOrDict(b.args, true);
  if (b.labels !== undefined) b.labels = listOrDict(b.labels, false);
  if (b.extra_hosts !== undefined) b.extra_hosts = extraHosts(b.extra_hosts);
  return b;
}

function longPort(p: Dict): Dict {
  const out: Dict = { ...p, target: Number(p.target), protocol: p.protocol ?? "tcp", mode: p.mode ?? "ingress" };
  if (p.published !== undefined && p.published !== null && p.published !== "") out.published = String(p.published);
  else delete out.published;
  return out;
}

function longVolume(m: Dict, base: string): VolumeMount {
  const v = { ...m } as unknown as VolumeMount;
  if (v.type === "bind" && v.source) v.source = resolveHostPath(v.source, base);
  if (v.type === "bind") v.bind = { create_host_path: true, ...v.bind };
  return v;
}

function dependsOn(v: unknown): Dict {
  const out: Dict = {};
  if (Array.isArray(v)) {
    for (const n of v as string[]) out[n] = { condition: "service_started", restart: false, required: true };
    return out;
  }
  for (const [n, d] of Object.entries(v as Dict)) {
    const dd = (d ?? {}) as Dict;
    out[n] = { ...dd, condition: dd.condition ?? "service_started", restart: dd.restart === true || dd.restart === "true", required: !(dd.required === false || dd.required === "false") };
  }
  return out;
}

function healthcheck(h: Dict): Dict {
  const out: Dict = { ...h };
  if (typeof h.test === "string") out.test = ["CMD-SHELL", h.test];
  if (h.disable === "true" || h.disable === true) out.disable = true;
  else delete out.disable;
  if (typeof h.retries === "string") out.retries = Number(h.retries);
  return out;
}

/** Relative secret/config files and the like, resolved against `base`. */
export function resolveFileRefs(top: Dict | undefined, base: string): Dict | undefined {
  if (!top) return top;
  const out: Dict = {};
  for (const [k, v] of Object.entries(top)) {
    const d = (v ?? {}) as Dict;
    out[k] = typeof d.file === "string" ? { ...d, file: path.resolve(base, d.file) } : d;
  }
  return out;
}
