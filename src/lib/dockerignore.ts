import path from "node:path";

/**
 * `.dockerignore` with Docker's semantics (moby's patternmatcher): patterns
 * are cleaned paths relative to the context root, `*` and `?` do not cross
 * `/`, `**` matches any number of directories, a pattern that matches a
 * parent directory excludes everything below it, `!pattern` re-includes,
 * and the last matching pattern wins. Blank lines and `#` comments are
 * skipped.
 */
interface Pattern {
  text: string;
  exclusion: boolean;
  re: RegExp;
}

export function parseDockerignore(content: string): string[] {
  const out: string[] = [];
  for (const raw of content.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    let neg = false;
    if (line.startsWith("!")) {
      neg = true;
      line = line.slice(1).trim();
      if (line === "") continue;
    }
    line = path.posix.normalize(line);
    if (line.length > 1 && line.startsWith("/")) line = line.slice(1);
    if (line.length > 1 && line.endsWith("/")) line = line.slice(0, -1);
    out.push((neg ? "!" : "") + line);
  }
  return out;
}

function compile(pattern: string): RegExp {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") i++;
        re += i + 1 >= pattern.length ? ".*" : "(.*/)?";
      } else re += "[^/]*";
    } else if (ch === "?") re += "[^/]";
    else if (ch === "\\") {
      if (i + 1 < pattern.length) re += "\\" + pattern[++i];
      else re += "\\\\";
    } else if (ch === "[" || ch === "]") re += ch;
    else re += ch.replace(/[.*+?^${}()|\\/-]/g, "\\$&");
  }
  return new RegExp(re + "$");
}

export class PatternMatcher {
  private readonly patterns: Pattern[];
  readonly hasExclusions: boolean;

  constructor(lines: string[]) {
    this.patterns = lines.map((l) => {
      const exclusion = l.startsWith("!");
      const text = exclusion ? l.slice(1) : l;
      let re: RegExp;
      try {
        re = compile(text);
      } catch {
        re = /$^/; // an unparseable class matches nothing, like a bad filepath.Match
      }
      return { text, exclusion, re };
    });
    this.hasExclusions = this.patterns.some((p) => p.exclusion);
  }

  /** Whether `file` (slash-separated, relative to the context root) is excluded. */
  matches(file: string): boolean {
    const clean = path.posix.normalize(file).replace(/^\/+/, "").replace(/\/$/, "");
    const parents = clean.split("/").slice(0, -1);
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      let m = p.re.test(clean);
      for (let i = 0; !m && i < parents.length; i++) m = p.re.test(parents.slice(0, i + 1).join("/"));
      if (m) matched = !p.exclusion;
    }
    return matched;
  }
}
