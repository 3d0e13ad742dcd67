import { InvalidArgumentError } from "../../lib/errors.js";

/**
 * Docker's word expansion for Dockerfile arguments (BuildKit's shell.Lex):
 * quotes are removed, the escape character escapes, `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}` and
 * `${VAR:?message}` are substituted from `env`. Single quotes stop
 * expansion. RUN/CMD/ENTRYPOINT are never expanded here: the shell does it.
 */
export type Env = Map<string, string>;

export function processWord(word: string, env: Env, escape = "\\"): string {
  return lex(word, env, escape, false).join("");
}

/** Expand and split into words on unquoted whitespace (ADD/COPY/EXPOSE/VOLUME/… arguments). */
export function processWords(word: string, env: Env, escape = "\\"): string[] {
  return lex(word, env, escape, true);
}

function lex(src: string, env: Env, escape: string, split: boolean): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let i = 0;
  const push = () => {
    if (inWord) words.push(cur);
    cur = "";
    inWord = false;
  };
  while (i < src.length) {
    const ch = src[i];
    if (split && /\s/.test(ch)) {
      push();
      i++;
      continue;
    }
    inWord = true;
    if (ch === escape) {
      if (i + 1 < src.length) cur += src[i + 1];
      i += 2;
    } else if (ch === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new InvalidArgumentError(`unexpected end of statement while looking for matching single-quote`);
      cur += src.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      i++;
      for (;;) {
        if (i >= src.length) throw new InvalidArgumentError(`unexpected end of statement while looking for matching double-quote`);
        const c = src[i];
        if (c === '"') {
          i++;
          break;
        }
        if (c === escape && i + 1 < src.length && ['"', "$", escape].includes(src[i + 1])) {
          cur += src[i + 1];
          i += 2;
        } else if (c === "$") {
          const r = expandVar(src, i, env, escape);
          cur += r.value;
          i = r.next;
        } else {
          cur += c;
          i++;
        }
      }
    } else if (ch === "$") {
      const r = expandVar(src, i, env, escape);
      cur += r.value;
      i = r.next;
    } else {
      cur += ch;
      i++;
    }
  }
  push();
  return words;
}

/** `$...` at src[i]: returns the substituted value and where scanning resumes. */
function expandVar(src: string, i: number, env: Env, escape: string): { value: string; next: number } {
  const after = src[i + 1];
  if (after === "{") {
    let j = i + 2;
    const name = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9]/.exec(src.slice(j))?.[0];
    if (!name) throw new InvalidArgumentError(`failed to process "${src}": missing ':' in substitution`);
    j += name.length;
    if (src[j] === "}") return { value: env.get(name) ?? "", next: j + 1 };
    let op = src[j];
    let colon = false;
    if (op === ":") {
      colon = true;
      op = src[++j];
    }
    if (!["-", "+", "?"].includes(op)) throw new InvalidArgumentError(`failed to process "${src}": unsupported modifier (${op}) in substitution`);
    j++;
    // The operand runs to the matching brace and is itself expanded.
    let depth = 1;
    let k = j;
    for (; k < src.length; k++) {
      if (src[k] === escape) {
        k++;
        continue;
      }
      if (src[k] === "{") depth++;
      if (src[k] === "}" && --depth === 0) break;
    }
    if (k >= src.length) throw new InvalidArgumentError(`failed to process "${src}": syntax error: missing '}'`);
    const word = processWord(src.slice(j, k), env, escape);
    const val = env.get(name);
    const set = val !== undefined && (!colon || val !== "");
    let value: string;
    if (op === "-") value = set ? val! : word;
    else if (op === "+") value = set ? word : "";
    else {
      if (!set) throw new InvalidArgumentError(`failed to process "${src}": ${name}: ${word || "is not allowed to be unset"}`);
      value = val!;
    }
    return { value, next: k + 1 };
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9]/.exec(src.slice(i + 1))?.[0];
  if (!name) return { value: "$", next: i + 1 };
  return { value: env.get(name) ?? "", next: i + 1 + name.length };
}

/**
 * Split ENV/LABEL arguments into words, keeping quotes and escapes (they are
 * removed later by processWord), like BuildKit's parseWords.
 */
export function splitRawWords(rest: string, escape = "\\"): string[] {
  const words: string[] = [];
  let cur = "";
  let quote = "";
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i];
    if (!quote && /\s/.test(ch)) {
      if (cur) words.push(cur);
      cur = "";
      continue;
    }
    if (ch === escape && i + 1 < rest.length && quote !== "'") {
      cur += ch + rest[++i];
      continue;
    }
    if (quote && ch === quote) quote = "";
    else if (!quote && (ch === '"' || ch === "'")) quote = ch;
    cur += ch;
  }
  if (cur) words.push(cur);
  return words;
}
