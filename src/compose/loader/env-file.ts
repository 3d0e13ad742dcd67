import { readFileSync } from "node:fs";
import { InvalidProjectError } from "../errors.js";
import { interpolateString } from "./interpolate.js";

/**
 * `.env` and `env_file` syntax as compose reads it: `KEY=VALUE`,
 * `export KEY=VALUE`, `#` comments (inline after unquoted values when
 * preceded by a space), single quotes literal, double quotes with escapes
 * (\n \t \\ \") and `${VAR}` expanded from earlier lines and `lookup`.
 * A bare `KEY` takes its value from `lookup` (or is dropped when unset).
 */
export function parseEnvText(text: string, file: string, lookup: (name: string) => string | undefined = () => undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const vars = (name: string) => out[name] ?? lookup(name);
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n].replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("export ")) line = line.slice(7).replace(/^\s+/, "");
    const eq = line.indexOf("=");
    const key = (eq < 0 ? line : line.slice(0, eq)).trimEnd();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new InvalidProjectError(`${file}: line ${n + 1}: unexpected character in variable name "${key}"`);
    if (eq < 0) {
      const v = lookup(key);
      if (v !== undefined) out[key] = v;
      continue;
    }
    let raw = line.slice(eq + 1).replace(/^[ \t]+/, "");
    const quote = raw[0];
    if (quote === "'" || quote === '"') {
      // a quoted value may span lines
      let body = raw.slice(1);
      let close = findClose(body, quote);
      while (close < 0 && n + 1 < lines.length) {
        body += "\n" + lines[++n];
        close = findClose(body, quote);
      }
      if (close < 0) throw new InvalidProjectError(`${file}: line ${n + 1}: unterminated quoted value for ${key}`);
      const inner = body.slice(0, close);
      out[key] = quote === "'" ? inner : interpolateString(unescape(inner), { lookup: vars }, `${file} ${key}`);
      continue;
    }
    const hash = raw.search(/\s#/);
    if (hash >= 0) raw = raw.slice(0, hash);
    out[key] = interpolateString(raw.trimEnd(), { lookup: vars }, `${file} ${key}`);
  }
  return out;
}

function findClose(s: string, q: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && q === '"') i++;
    else if (s[i] === q) return i;
  }
  return -1;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => ({ n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', $: "$$" })[c] ?? `\\${c}`);
}

export function readEnvFile(file: string, lookup?: (name: string) => string | undefined): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidProjectError(code === "ENOENT" ? `env file ${file} not found: stat ${file}: no such file or directory` : `cannot read env file ${file}: ${(err as Error).message}`);
  }
  return parseEnvText(text, file, lookup);
}
