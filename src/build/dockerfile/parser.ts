import { InvalidArgumentError } from "../../lib/errors.js";

/**
 * The Dockerfile's line grammar (what BuildKit's `parser` package does):
 * parser directives, line continuations with the escape character,
 * comments, heredocs. It produces one node per instruction with its raw
 * argument text; instructions.ts gives the nodes meaning.
 *
 * Why not an npm parser: `dockerfile-ast` is built for editors (ranges,
 * diagnostics) and `docker-file-parser` is unmaintained and lacks heredocs;
 * neither reproduces Docker's error texts or its word-expansion rules, which
 * the builder needs exactly. The grammar is small enough to own.
 */
export interface Heredoc {
  name: string;
  content: string;
  /** Unquoted delimiter: variables in the body are expanded by the shell/COPY. */
  expand: boolean;
}

export interface Node {
  /** Lower-case instruction keyword ("run"). */
  cmd: string;
  /** The instruction as written, continuations joined (for "Step n/m : …"). */
  original: string;
  /** `--name=value` flags before the arguments. */
  flags: string[];
  /** Argument text after the flags. */
  rest: string;
  heredocs: Heredoc[];
  startLine: number;
  endLine: number;
}

export interface ParsedDockerfile {
  nodes: Node[];
  escape: string;
  warnings: string[];
}

const KNOWN = new Set([
  "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label", "maintainer",
  "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
]);
const HEREDOC_CMDS = new Set(["run", "copy", "add"]);
const DIRECTIVE_RE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const HEREDOC_RE = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const warnings: string[] = [];
  let escape = "\\";
  let i = 0;
  // Parser directives: only at the very top, before any other line.
  const seen = new Set<string>();
  for (; i < lines.length; i++) {
    const m = DIRECTIVE_RE.exec(lines[i]);
    if (!m) break;
    const key = m[1].toLowerCase();
    if (seen.has(key)) throw new InvalidArgumentError(`only one ${key} parser directive can be used`);
    seen.add(key);
    if (key === "escape") {
      if (m[2] !== "\\" && m[2] !== "`") throw new InvalidArgumentError(`invalid ESCAPE '${m[2]}'. Must be \` or \\`);
      escape = m[2];
    } else if (key === "syntax") {
      warnings.push(`[Warning] the "# syntax=${m[2]}" directive is ignored by the classic builder`);
    }
  }
  const contRe = new RegExp(`${escape === "\\" ? "\\\\" : "`"}[ \\t]*$`);
  const nodes: Node[] = [];
  while (i < lines.length) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      i++;
      continue;
    }
    const startLine = i + 1;
    let joined = "";
    let cur = line.replace(/^\s+/, "");
    for (;;) {
      if (contRe.test(cur)) {
        joined += cur.replace(contRe, "");
        i++;
        // Comment lines and empty lines inside a continuation are dropped.
        while (i < lines.length && (lines[i].trim() === "" || lines[i].trim().startsWith("#"))) i++;
        if (i >= lines.length) break;
        cur = lines[i];
        continue;
      }
      joined += cur;
      i++;
      break;
    }
    const m = /^(\S+)\s*([\s\S]*)$/.exec(joined.trim());
    if (!m) continue;
    const cmd = m[1].toLowerCase();
    if (!KNOWN.has(cmd)) throw new InvalidArgumentError(`dockerfile parse error line ${startLine}: unknown instruction: ${m[1].toUpperCase()}`);
    let { flags, rest } = splitFlags(m[2]);
    const heredocs: Heredoc[] = [];
    if (HEREDOC_CMDS.has(cmd) && !rest.startsWith("[")) {
      for (const h of rest.matchAll(HEREDOC_RE)) {
        const chomp = h[1] === "-";
        const body: string[] = [];
        for (;;) {
          if (i >= lines.length) throw new InvalidArgumentError(`dockerfile parse error line ${startLine}: unterminated heredoc ${h[3]}`);
          const l = lines[i++];
          const cmp = chomp ? l.replace(/^\t+/, "") : l;
          if (cmp === h[3]) break;
          body.push(cmp);
        }
        heredocs.push({ name: h[3], content: body.join("\n") + "\n", expand: h[2] === "" });
      }
    }
    rest = rest.trim();
    nodes.push({ cmd, original: joined.trim(), flags, rest, heredocs, startLine, endLine: i });
  }
  return { nodes, escape, warnings };
}

/** Leading `--flag[=value]` words. */
function splitFlags(s: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let rest = s;
  for (;;) {
    const m = /^(--[A-Za-z][A-Za-z0-9-]*(?:=(?:"[^"]*"|'[^']*'|\S*))?)\s*/.exec(rest);
    if (!m) break;
    flags.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** Parse a JSON-array argument; undefined when the text is not a JSON string array. */
export function parseJsonArray(rest: string): string[] | undefined {
  if (!rest.startsWith("[")) return undefined;
  try {
    const v = JSON.parse(rest) as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  } catch {
    /* not JSON: shell form */
  }
  return undefined;
}
