/**
 * A pflag-compatible flag parser: `-abc` bundles, `-eFOO=bar`, `-e=FOO`,
 * `--env FOO`, `--env=FOO`, `--rm=false`, repeatable list flags, `--` ends
 * flags. With `interspersed: false` (run/create/exec) parsing stops at the
 * first positional so the container command keeps its own flags.
 * Errors use pflag's wording, since docker prints them verbatim.
 */
export type FlagKind = "bool" | "string" | "int" | "list";
export type FlagValue = boolean | string | number | string[];

export interface FlagDef {
  long: string;
  short?: string;
  kind: FlagKind;
  /** Word shown in help after the flag (`string`, `list`, `filter`, `int`, ...). */
  typeName?: string;
  default?: boolean | string | number;
  usage: string;
  hidden?: boolean;
}

export interface CommandDef {
  /** Command path as invoked, without the program name ("ps", "container ls"); the dispatcher sets it. */
  path: string;
  /** Usage after the command path, e.g. "[OPTIONS] CONTAINER [CONTAINER...]". */
  use: string;
  short: string;
  /** Other spellings, as docker lists them ("container ls", "ps"). */
  aliases?: string[];
  flags: FlagDef[];
  interspersed?: boolean;
  args?: { min?: number; max?: number; exact?: number };
}

export interface ParsedFlags {
  values: Map<string, FlagValue>;
  changed: Set<string>;
  args: string[];
  help: boolean;
}

/** A flag-syntax error: docker prints it with the usage line and exits 125. */
export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlagError";
  }
}

const HELP_FLAG: FlagDef = { long: "help", kind: "bool", usage: "Print usage" };

export function withHelp(def: CommandDef): FlagDef[] {
  const hasShortH = def.flags.some((f) => f.short === "h");
  return [...def.flags, hasShortH ? HELP_FLAG : { ...HELP_FLAG, short: "h" }];
}

export function parseFlags(def: CommandDef, argv: string[]): ParsedFlags {
  const flags = withHelp(def);
  const byLong = new Map(flags.map((f) => [f.long, f]));
  const byShort = new Map(flags.filter((f) => f.short).map((f) => [f.short as string, f]));
  const out: ParsedFlags = { values: new Map(), changed: new Set(), args: [], help: false };
  for (const f of flags) if (f.default !== undefined) out.values.set(f.long, f.default);

  const set = (f: FlagDef, raw: string | undefined, display: string): void => {
    if (f.long === "help") {
      out.help = true;
      return;
    }
    out.changed.add(f.long);
    out.values.set(f.long, convert(f, raw, display, out.values.get(f.long)));
  };

  let i = 0;
  while (i < argv.length) {
    const arg = argv[i++];
    if (arg === "--") {
      out.args.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const f = byLong.get(name);
      if (!f) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(f, arg.slice(eq + 1), flagDisplay(f));
      else if (f.kind === "bool") set(f, undefined, flagDisplay(f));
      else {
        if (i >= argv.length) throw new FlagError(`flag needs an argument: --${name}`);
        set(f, argv[i++], flagDisplay(f));
      }
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      let rest = arg.slice(1);
      while (rest.length > 0) {
        const c = rest[0];
        const f = byShort.get(c);
        if (!f) {
          if (c === "h" && !byShort.has("h")) {
            out.help = true;
            rest = rest.slice(1);
            continue;
          }
          throw new FlagError(`unknown shorthand flag: '${c}' in ${arg}`);
        }
        if (rest.length > 2 && rest[1] === "=") {
          set(f, rest.slice(2), flagDisplay(f));
          rest = "";
        } else if (f.kind === "bool") {
          set(f, undefined, flagDisplay(f));
          rest = rest.slice(1);
        } else if (rest.length > 1) {
          set(f, rest.slice(1), flagDisplay(f));
          rest = "";
        } else {
          if (i >= argv.length) throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
          set(f, argv[i++], flagDisplay(f));
          rest = "";
        }
      }
      continue;
    }
    out.args.push(arg);
    if (def.interspersed === false) {
      out.args.push(...argv.slice(i));
      break;
    }
  }
  return out;
}

function flagDisplay(f: FlagDef): string {
  return f.short ? `-${f.short}, --${f.long}` : `--${f.long}`;
}

function convert(f: FlagDef, raw: string | undefined, display: string, prev: FlagValue | undefined): FlagValue {
  switch (f.kind) {
    case "bool": {
      if (raw === undefined) return true;
      const b = parseGoBool(raw);
      if (b === undefined) throw new FlagError(`invalid argument "${raw}" for "${display}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
      return b;
    }
    case "int": {
      const v = raw ?? "";
      if (!/^[+-]?\d+$/.test(v)) throw new FlagError(`invalid argument "${v}" for "${display}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`);
      return Number(v);
    }
    case "list":
      return [...(Array.isArray(prev) ? prev : []), raw ?? ""];
    default:
      return raw ?? "";
  }
}

function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

// ---- typed accessors for command code ----
export function bool(p: ParsedFlags, name: string): boolean {
  return p.values.get(name) === true;
}
export function str(p: ParsedFlags, name: string): string {
  const v = p.values.get(name);
  return typeof v === "string" ? v : "";
}
export function int(p: ParsedFlags, name: string, fallback = 0): number {
  const v = p.values.get(name);
  return typeof v === "number" ? v : fallback;
}
export function list(p: ParsedFlags, name: string): string[] {
  const v = p.values.get(name);
  return Array.isArray(v) ? v : [];
}
