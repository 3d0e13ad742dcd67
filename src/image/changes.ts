import { InvalidArgumentError } from "../lib/errors.js";
import type { ImageConfig } from "./image-config.js";

/** The Dockerfile instructions `docker import --change` / `docker commit --change` accept. */
const ALLOWED = new Set(["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR", "STOPSIGNAL", "HEALTHCHECK"]);

/**
 * Apply `changes` (one Dockerfile instruction per entry) to an image config,
 * as `docker import -c` does. Returns a new object; the input is untouched.
 */
export function applyChanges(base: ImageConfig, changes: string[]): ImageConfig {
  const cfg: ImageConfig = structuredClone(base);
  for (const raw of changes) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(line)!;
    const instr = m[1].toUpperCase();
    const rest = m[2].trim();
    if (!ALLOWED.has(instr)) throw new InvalidArgumentError(`${instr.toLowerCase()} is not a valid change command`);
    applyOne(cfg, instr, rest);
  }
  return cfg;
}

function applyOne(cfg: ImageConfig, instr: string, rest: string): void {
  const env = envMap(cfg.Env ?? []);
  switch (instr) {
    case "CMD":
      cfg.Cmd = commandForm(rest, cfg.Shell);
      return;
    case "ENTRYPOINT":
      cfg.Entrypoint = commandForm(rest, cfg.Shell);
      return;
    case "ENV": {
      const pairs = keyValues(rest, "ENV", env);
      const list = [...(cfg.Env ?? [])];
      for (const [k, v] of pairs) {
        const i = list.findIndex((e) => e === k || e.startsWith(`${k}=`));
        if (i >= 0) list[i] = `${k}=${v}`;
        else list.push(`${k}=${v}`);
        env.set(k, v);
      }
      cfg.Env = list;
      return;
    }
    case "LABEL":
      cfg.Labels = { ...(cfg.Labels ?? {}), ...Object.fromEntries(keyValues(rest, "LABEL", env)) };
      return;
    case "EXPOSE": {
      const ports = { ...(cfg.ExposedPorts ?? {}) };
      for (const word of splitWords(rest)) for (const p of expandPort(expand(word, env))) ports[p] = {};
      cfg.ExposedPorts = ports;
      return;
    }
    case "VOLUME": {
      const vols = { ...(cfg.Volumes ?? {}) };
      const list = rest.startsWith("[") ? jsonArray(rest, "VOLUME") : splitWords(rest);
      if (list.length === 0) throw new InvalidArgumentError("VOLUME requires at least one argument");
      for (const v of list) vols[expand(v, env)] = {};
      cfg.Volumes = vols;
      return;
    }
    case "USER":
      if (!rest) throw new InvalidArgumentError("USER requires exactly one argument");
      cfg.User = expand(rest, env);
      return;
    case "WORKDIR": {
      if (!rest) throw new InvalidArgumentError("WORKDIR requires exactly one argument");
      const dir = expand(rest, env);
      const joined = dir.startsWith("/") ? dir : `${cfg.WorkingDir || "/"}/${dir}`;
      cfg.WorkingDir = normalizePath(joined);
      return;
    }
    case "ONBUILD": {
      const inner = rest.split(/\s+/)[0]?.toUpperCase();
      if (!inner) throw new InvalidArgumentError("ONBUILD requires at least one argument");
      if (inner === "ONBUILD") throw new InvalidArgumentError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (inner === "FROM" || inner === "MAINTAINER") throw new InvalidArgumentError(`${inner} isn't allowed as an ONBUILD trigger`);
      cfg.OnBuild = [...(cfg.OnBuild ?? []), rest];
      return;
    }
    case "STOPSIGNAL":
      cfg.StopSignal = expand(rest, env);
      return;
    case "HEALTHCHECK":
      if (/^none$/i.test(rest)) cfg.Healthcheck = { Test: ["NONE"] };
      else {
        const m = /^CMD\s+([\s\S]+)$/i.exec(rest);
        if (!m) throw new InvalidArgumentError("HEALTHCHECK in a change must be NONE or CMD <command> (options are not supported here)");
        const form = m[1].trim().startsWith("[") ? jsonArray(m[1].trim(), "HEALTHCHECK") : null;
        cfg.Healthcheck = { Test: form ? ["CMD", ...form] : ["CMD-SHELL", m[1].trim()] };
      }
      return;
  }
}

/** JSON (exec) form when the text is a JSON string array, otherwise shell form through the image's shell. */
function commandForm(rest: string, shell: string[] | null | undefined): string[] {
  if (rest.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === "string")) return parsed as string[];
    } catch {
      // Not valid JSON: Docker falls back to shell form.
    }
  }
  return [...(shell && shell.length ? shell : ["/bin/sh", "-c"]), rest];
}

function jsonArray(text: string, instr: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === "string")) return parsed as string[];
  } catch {
    // fall through
  }
  throw new InvalidArgumentError(`${instr}: expected a JSON array of strings: ${text}`);
}

/** `k=v k2="v 2"` pairs, or the legacy `ENV key value with spaces` form. */
function keyValues(rest: string, instr: string, env: Map<string, string>): Array<[string, string]> {
  const words = splitWords(rest, true);
  if (words.length === 0) throw new InvalidArgumentError(`${instr} requires at least one argument`);
  if (!words[0].includes("=")) {
    const m = /^(\S+)\s+([\s\S]*)$/.exec(rest);
    if (!m) throw new InvalidArgumentError(`${instr} names can not be blank`);
    return [[m[1], expand(unquote(m[2].trim()), env)]];
  }
  return words.map((w) => {
    const eq = w.indexOf("=");
    if (eq <= 0) throw new InvalidArgumentError(`${instr} names can not be blank`);
    return [unquote(w.slice(0, eq)), expand(unquote(w.slice(eq + 1)), env)];
  });
}

/** Split on unquoted whitespace. With `keepQuotes` the quoting is left in place (removed later per key and value). */
function splitWords(text: string, keepQuotes = false): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const escapable = c === "\\" && i + 1 < text.length && quote !== "'";
    if (escapable) {
      cur += keepQuotes ? c + text[i + 1] : text[i + 1];
      i++;
      started = true;
    } else if (quote) {
      if (c === quote) {
        quote = undefined;
        if (keepQuotes) cur += c;
      } else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
      if (keepQuotes) cur += c;
    } else if (/\s/.test(c)) {
      if (started) out.push(cur);
      cur = "";
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (quote) throw new InvalidArgumentError(`unexpected end of statement while looking for matching ${quote}`);
  if (started) out.push(cur);
  return out;
}

/** Remove one level of shell-style quoting and backslash escapes. */
function unquote(s: string): string {
  return splitWords(s).join(" ") || (s === '""' || s === "''" ? "" : s);
}

/** `$VAR` and `${VAR}` from the config's environment (Docker expands these in most instructions). */
function expand(s: string, env: Map<string, string>): string {
  return s.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_m, a?: string, b?: string) => env.get((a ?? b)!) ?? "");
}

function envMap(list: string[]): Map<string, string> {
  return new Map(list.map((e) => {
    const eq = e.indexOf("=");
    return eq < 0 ? [e, ""] : [e.slice(0, eq), e.slice(eq + 1)];
  }));
}

/** "80", "80/udp", "8000-8002/tcp" → Docker's "<port>/<proto>" keys. */
function expandPort(spec: string): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (!m) throw new InvalidArgumentError(`invalid containerPort: ${spec}`);
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : start;
  const proto = (m[3] ?? "tcp").toLowerCase();
  if (start < 1 || end > 65535 || end < start) throw new InvalidArgumentError(`invalid range specified for container port: ${spec}`);
  const out: string[] = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto}`);
  return out;
}

function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}
