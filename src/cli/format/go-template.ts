/**
 * Go text/template for wharf's CLI: `--format` and `inspect -f` strings
 * behave (and fail) the way they do with docker, including docker/cli's
 * extra functions (json, split, join, title, lower, upper, pad, truncate).
 *
 * Data model: see template/values.ts. In short, plain objects are Go maps,
 * class instances are structs (unknown fields are errors), and function
 * properties are methods, so `{{.Label "com.example"}}` calls `Label`.
 */
import { DOCKER_FUNCS, DOCKER_HEADER_FUNCS, GO_BUILTINS, type FuncDef } from "../../lib/template/builtins.js";
import { execute, TemplateExecError, type MissingKey } from "../../lib/template/exec.js";
import { parse, TemplateParseError, type ParsedTemplate } from "../../lib/template/parser.js";

export { TemplateExecError, TemplateParseError };
export { registerFormatContext } from "../../lib/template/go-json.js";

export type TemplateFunc = (...args: unknown[]) => unknown;

export interface Template {
  /** Renders the template; throws TemplateExecError (with `.partial` output). */
  execute(data: unknown): string;
  /** Same parse tree with some functions replaced (docker's tmpl.Funcs(...)). */
  withFuncs(funcs: Record<string, TemplateFunc | FuncDef>): Template;
  /** Go's Option("missingkey=..."): default prints <no value>, error fails. */
  withMissingKey(mode: MissingKey): Template;
}

function toDef(f: TemplateFunc | FuncDef): FuncDef {
  return typeof f === "function" ? { fn: f } : f;
}

function buildFuncs(extra?: Record<string, TemplateFunc | FuncDef>): Map<string, FuncDef> {
  const m = new Map<string, FuncDef>();
  for (const src of [GO_BUILTINS, DOCKER_FUNCS, extra ?? {}]) {
    for (const [k, v] of Object.entries(src)) m.set(k, toDef(v));
  }
  return m;
}

class CompiledTemplate implements Template {
  constructor(
    private readonly tree: ParsedTemplate,
    private readonly funcs: Map<string, FuncDef>,
    private readonly missingKey: MissingKey,
  ) {}

  execute(data: unknown): string {
    return execute(this.tree, data, { funcs: this.funcs, missingKey: this.missingKey });
  }

  withFuncs(funcs: Record<string, TemplateFunc | FuncDef>): Template {
    const m = new Map(this.funcs);
    for (const [k, v] of Object.entries(funcs)) m.set(k, toDef(v));
    return new CompiledTemplate(this.tree, m, this.missingKey);
  }

  withMissingKey(mode: MissingKey): Template {
    return new CompiledTemplate(this.tree, this.funcs, mode);
  }
}

/**
 * Parses `src` like docker's templates.Parse (anonymous template, name "").
 * Throws TemplateParseError with Go's message, e.g.
 * `template: :1: unexpected "}" in operand`; callers prefix
 * "template parsing error: " as docker does.
 */
export function parseTemplate(src: string, extraFuncs?: Record<string, TemplateFunc>): Template {
  const funcs = buildFuncs(extraFuncs);
  const tree = parse(src, "", (n) => funcs.has(n));
  return new CompiledTemplate(tree, funcs, "default");
}

/** docker/cli's HeaderFunctions, for rendering table headers. */
export const HEADER_FUNCS: Record<string, FuncDef> = DOCKER_HEADER_FUNCS;
