import { readFileSync } from "node:fs";
import { parseGoDuration } from "../../../lib/filters.js";
import { StatusError } from "../../context.js";

/**
 * Parsers for `run`/`create` flag values, with docker's accepted syntax:
 * env files, sizes (`512m`), ports (`127.0.0.1:8080:80/tcp`), mounts,
 * ulimits, durations. Invalid input → StatusError 125 with docker's wording.
 */
function invalid(message: string): StatusError {
  return new StatusError(125, message);
}

/** `KEY=value` lines; `KEY` alone takes the local environment's value (skipped when unset). */
export function readKeyValueFile(path: string, fromEnv: boolean): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw invalid(`open ${path}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message}`);
  }
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, "");
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq === 0) throw invalid(`invalid environment variable: ${line}`);
    if (eq > 0) out.push(line);
    else if (!fromEnv) out.push(line);
    else if (process.env[line.trimEnd()] !== undefined) out.push(`${line.trimEnd()}=${process.env[line.trimEnd()]}`);
  }
  return out;
}

/** `-e KEY` copies the local value when set (docker's ValidateEnv). */
export function expandEnv(value: string): string {
  if (value.includes("=")) return value;
  const local = process.env[value];
  return local === undefined ? value : `${value}=${local}`;
}

/** docker's RAMInBytes: binary units b, k, m, g, t, p with optional "b"/"ib" suffix. */
export function parseBytes(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$/i.exec(value.trim());
  if (!m) throw invalid(`invalid argument "${value}" for "${flag}" flag: invalid size: '${value}'`);
  const mult: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
  return Math.floor(parseFloat(m[1]) * mult[m[2].toLowerCase()]);
}

/** Go duration → nanoseconds. */
export function parseDurationNs(value: string, flag: string): number {
  const ms = value === "0" ? 0 : parseGoDuration(value);
  if (ms === undefined) throw invalid(`invalid argument "${value}" for "${flag}" flag: time: invalid duration "${value}"`);
  return Math.round(ms * 1e6);
}

export interface PortSpecs {
  exposed: Record<string, Record<string, never>>;
  bindings: Record<string, Array<{ HostIp: string; HostPort: string }>>;
}

/** `-p [ip:][hostPort:]containerPort[/proto]`, ranges allowed on both sides. */
export function parsePorts(publish: string[], expose: string[]): PortSpecs {
  const out: PortSpecs = { exposed: {}, bindings: {} };
  for (const spec of publish) {
    const [addrPart, proto = "tcp"] = splitProto(spec);
    const parts = splitHostSpec(addrPart);
    const [ip, hostPort, containerPort] = parts;
    if (!containerPort) throw invalid(`invalid argument "${spec}" for "-p, --publish" flag: No port specified: ${spec}<empty>`);
    const cRange = parseRange(containerPort, spec);
    const hRange = hostPort ? parseRange(hostPort, spec) : undefined;
    if (hRange && hRange[1] - hRange[0] !== cRange[1] - cRange[0] && hRange[0] !== hRange[1]) {
      throw invalid(`invalid argument "${spec}" for "-p, --publish" flag: invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
    }
    for (let p = cRange[0]; p <= cRange[1]; p++) {
      const key = `${p}/${proto}`;
      out.exposed[key] = {};
      let hp = "";
      if (hRange) hp = hRange[0] === hRange[1] ? String(hRange[0]) : String(hRange[0] + (p - cRange[0]));
      (out.bindings[key] ??= []).push({ HostIp: ip, HostPort: hp });
    }
  }
  for (const spec of expose) {
    const [port, proto = "tcp"] = splitProto(spec);
    const [lo, hi] = parseRange(port, spec);
    for (let p = lo; p <= hi; p++) out.exposed[`${p}/${proto}`] = {};
  }
  return out;
}

function splitProto(spec: string): [string, string?] {
  const slash = spec.lastIndexOf("/");
  return slash < 0 ? [spec] : [spec.slice(0, slash), spec.slice(slash + 1).toLowerCase()];
}

function splitHostSpec(s: string): [string, string, string] {
  const v6 = /^\[([^\]]+)\]:([^:]*):(.+)$/.exec(s);
  if (v6) return [v6[1], v6[2], v6[3]];
  const parts = s.split(":");
  if (parts.length === 1) return ["", "", parts[0]];
  if (parts.length === 2) return ["", parts[0], parts[1]];
  const container = parts.pop() as string;
  const host = parts.pop() as string;
  return [parts.join(":"), host, container];
}

function parseRange(s: string, spec: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw invalid(`invalid argument "${spec}" for "-p, --publish" flag: invalid containerPort: ${s}`);
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  if (hi < lo || hi > 65535) throw invalid(`invalid argument "${spec}" for "-p, --publish" flag: invalid port range: ${s}`);
  return [lo, hi];
}

/** `--mount type=bind,source=/a,target=/b,readonly` → an API Mount object. */
export function parseMount(spec: string): Record<string, unknown> {
  const m: Record<string, unknown> = { Type: "volume" };
  for (const field of spec.split(",")) {
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    switch (key) {
      case "type": m.Type = value; break;
      case "source": case "src": m.Source = value; break;
      case "target": case "destination": case "dst": m.Target = value; break;
      case "readonly": case "ro": m.ReadOnly = value === undefined || value === "true" || value === "1"; break;
      case "bind-propagation": m.BindOptions = { Propagation: value }; break;
      case "volume-nocopy": m.VolumeOptions = { NoCopy: value === undefined || value === "true" }; break;
      case "tmpfs-size": m.TmpfsOptions = { ...(m.TmpfsOptions as object), SizeBytes: parseBytes(value ?? "", "--mount") }; break;
      case "tmpfs-mode": m.TmpfsOptions = { ...(m.TmpfsOptions as object), Mode: parseInt(value ?? "0", 8) }; break;
      default: throw invalid(`invalid argument "${spec}" for "--mount" flag: unexpected key '${key}' in '${field}'`);
    }
  }
  if (!m.Target) throw invalid(`invalid argument "${spec}" for "--mount" flag: target is required`);
  return m;
}

/** `--ulimit nofile=1024[:2048]`. */
export function parseUlimit(spec: string): { Name: string; Soft: number; Hard: number } {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(spec);
  if (!m) throw invalid(`invalid argument "${spec}" for "--ulimit" flag: invalid ulimit argument: ${spec}`);
  return { Name: m[1], Soft: Number(m[2]), Hard: Number(m[3] ?? m[2]) };
}

/** `--restart no|always|unless-stopped|on-failure[:N]`. */
export function parseRestart(spec: string): { Name: string; MaximumRetryCount: number } {
  const [name, count] = spec.split(":");
  if (!["", "no", "always", "unless-stopped", "on-failure"].includes(name) || (count !== undefined && !/^\d+$/.test(count))) {
    throw invalid(`invalid restart policy format: ${spec}`);
  }
  if (count !== undefined && name !== "on-failure") throw invalid(`invalid restart policy format: maximum retry count can only be used with 'on-failure'`);
  return { Name: name === "" ? "no" : name, MaximumRetryCount: count ? Number(count) : 0 };
}

/** `k=v` list → map (labels, sysctls, log opts); `k` alone maps to "". */
export function keyValueMap(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq < 0) out[item] = "";
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
