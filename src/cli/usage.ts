import { withHelp, type CommandDef, type FlagDef } from "./flags.js";

/**
 * Help and usage-error text in the docker CLI's shape (cobra + pflag):
 * the `Usage:` line, description, aliases, and the options table wrapped
 * to the terminal width the way pflag wraps it.
 */
export const PROG = "wharf";

export function usageLine(def: CommandDef): string {
  return `Usage:  ${PROG} ${def.path}${def.use ? ` ${def.use}` : ""}`;
}

export function helpText(def: CommandDef, cols = terminalWidth()): string {
  const parts = [usageLine(def), "", def.short];
  if (def.aliases && def.aliases.length > 0) {
    parts.push("", "Aliases:", `  ${def.aliases.map((a) => `${PROG} ${a}`).join(", ")}`);
  }
  const visible = withHelp(def).filter((f) => !f.hidden && f.long !== "help");
  if (visible.length > 0) parts.push("", "Options:", flagUsages(visible, cols));
  return parts.join("\n") + "\n";
}

/** `wharf: 'wharf run' requires at least 1 argument` + usage, docker's arity errors. */
export function argsErrorText(def: CommandDef, got: number): string | undefined {
  const a = def.args;
  if (!a) return undefined;
  const name = def.path;
  const plural = (n: number) => (n === 1 ? "argument" : "arguments");
  let msg: string | undefined;
  let verb = "Run";
  if (a.exact !== undefined && got !== a.exact) {
    msg = a.exact === 0 ? `'${PROG} ${name}' accepts no arguments` : `'${PROG} ${name}' requires ${a.exact} ${plural(a.exact)}`;
  } else if (a.min !== undefined && got < a.min) {
    msg = `'${PROG} ${name}' requires at least ${a.min} ${plural(a.min)}`;
    verb = "See";
  } else if (a.max !== undefined && got > a.max) {
    msg = a.max === 0 ? `'${PROG} ${name}' accepts no arguments` : `'${PROG} ${name}' requires at most ${a.max} ${plural(a.max)}`;
    // docker 28 prints "SRun" here (a stray byte in its RequiresMaxArgs text); mirrored for byte-compat
    verb = a.max === 0 ? "Run" : "SRun";
  }
  if (!msg) return undefined;
  return `${PROG}: ${msg}\n\n${usageLine(def)}\n\n${verb} '${PROG} ${name} --help' for more information\n`;
}

/** Flag-syntax error text (exit 125). */
export function flagErrorText(def: CommandDef, message: string): string {
  return `${message}\n\n${usageLine(def)}\n\nRun '${PROG} ${def.path} --help' for more information\n`;
}

function terminalWidth(): number {
  // docker wraps flag help at the terminal width minus one (80 when not a terminal)
  return (process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80) - 1;
}

export function flagUsages(flags: FlagDef[], cols: number): string {
  const lines: Array<{ left: string; usage: string }> = [];
  let maxlen = 0;
  for (const f of flags) {
    let left = f.short ? `  -${f.short}, --${f.long}` : `      --${f.long}`;
    const typeName = f.kind === "bool" ? "" : (f.typeName ?? (f.kind === "int" ? "int" : f.kind === "list" ? "list" : "string"));
    if (typeName) left += ` ${typeName}`;
    maxlen = Math.max(maxlen, left.length + 1);
    let usage = f.usage;
    if (f.default !== undefined && f.default !== false && f.default !== "" && f.default !== 0) {
      usage += typeof f.default === "string" ? ` (default ${JSON.stringify(f.default)})` : ` (default ${f.default})`;
    }
    lines.push({ left, usage });
  }
  return lines.map(({ left, usage }) => `${left} ${" ".repeat(maxlen - left.length)} ${wrap(maxlen + 2, cols, usage)}`).join("\n");
}

/** pflag's wrapping: indent i, width w, 5 columns of slop to avoid orphan words. */
function wrap(i: number, w: number, s: string): string {
  let width = w - i;
  let r = "";
  if (width < 24) {
    i = 16;
    width = w - i;
    r += "\n" + " ".repeat(i);
  }
  if (width < 24) return s.replaceAll("\n", r);
  const slop = 5;
  width -= slop;
  const indent = "\n" + " ".repeat(i);
  let [l, rest] = wrapN(width, slop, s);
  r += l.replaceAll("\n", indent);
  while (rest !== "") {
    [l, rest] = wrapN(width, slop, rest);
    r += indent + l.replaceAll("\n", indent);
  }
  return r;
}

function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ""];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(" "), head.lastIndexOf("\t"), head.lastIndexOf("\n"));
  if (w <= 0) return [s, ""];
  const nl = head.lastIndexOf("\n");
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}
