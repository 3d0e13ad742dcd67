/**
 * Executes a parsed template against JS data with Go text/template's
 * evaluation rules (see values.ts for how JS values map to Go values).
 * Errors read like Go's: `template: :1:2: executing "" at <.Foo>: ...`.
 */
import { FuncError, GO_BUILTINS, type FuncDef, type ParamType } from "./builtins.js";
import type {
  ChainNode, CommandNode, FieldNode, IdentifierNode, Node, PipeNode, RangeNode, VariableNode,
} from "./nodes.js";
import { nodeString } from "./nodes.js";
import type { ParsedTemplate } from "./parser.js";
import { formatV } from "./printf.js";
import { goTypeName, isPlainObject, isTrue, kindOf, sortedEntries } from "./values.js";

export type MissingKey = "default" | "zero" | "error";

/** Template execution failure; `partial` is the output written before it. */
export class TemplateExecError extends Error {
  constructor(message: string, public readonly partial: string) {
    super(message);
  }
}

const MISSING = Symbol("missing"); // no final (piped) argument
type Final = unknown | typeof MISSING;
class BreakSignal {}
class ContinueSignal {}
class Abort extends Error {}

interface Var { name: string; value: unknown }

export interface ExecOptions {
  funcs: Map<string, FuncDef>;
  missingKey: MissingKey;
}

export function execute(tmpl: ParsedTemplate, data: unknown, opts: ExecOptions): string {
  const st = new State(tmpl, opts);
  const dot = data === null ? undefined : data;
  st.vars.push({ name: "$", value: dot });
  try {
    st.walk(dot, tmpl.root);
  } catch (e) {
    if (e instanceof Abort) throw new TemplateExecError(e.message, st.out.join(""));
    throw e;
  }
  return st.out.join("");
}

class State {
  out: string[] = [];
  vars: Var[] = [];
  private node: Node | null = null;

  constructor(private tmpl: ParsedTemplate, private opts: ExecOptions) {}

  private at(n: Node): void {
    this.node = n;
  }

  private errorf(msg: string): never {
    const name = this.tmpl.name;
    if (!this.node) throw new Abort(`template: ${name}: ${msg}`);
    const text = this.tmpl.text.slice(0, this.node.pos);
    const nl = text.lastIndexOf("\n");
    const col = nl < 0 ? this.node.pos : this.node.pos - (nl + 1);
    const line = 1 + (text.match(/\n/g)?.length ?? 0);
    throw new Abort(`template: ${name}:${line}:${col}: executing ${JSON.stringify(name)} at <${nodeString(this.node)}>: ${msg}`);
  }

  // ---- statements ----
  walk(dot: unknown, node: Node): void {
    this.at(node);
    switch (node.type) {
      case "action": {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case "break":
        throw new BreakSignal();
      case "continue":
        throw new ContinueSignal();
      case "comment":
        return;
      case "if":
      case "with": {
        const mark = this.vars.length;
        try {
          const val = this.evalPipeline(dot, node.pipe);
          if (isTrue(val)) this.walk(node.type === "with" ? val : dot, node.list);
          else if (node.elseList) this.walk(dot, node.elseList);
        } finally {
          this.vars.length = mark;
        }
        return;
      }
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "range":
        return this.walkRange(dot, node);
      case "template": {
        const body = this.tmpl.defines.get(node.name);
        if (!body) this.errorf(`no such template ${JSON.stringify(node.name)}`);
        const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
        const saved = this.vars;
        this.vars = [{ name: "$", value: newDot }];
        try {
          this.walk(newDot, body);
        } finally {
          this.vars = saved;
        }
        return;
      }
      case "text":
        this.out.push(node.text);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkRange(dot: unknown, r: RangeNode): void {
    const outerMark = this.vars.length;
    try {
      let val = this.evalPipeline(dot, r.pipe);
      if (val === null) val = undefined;
      const mark = this.vars.length;
      const one = (index: unknown, elem: unknown): boolean => {
        const decl = r.pipe.decl;
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e instanceof BreakSignal) return false;
          if (!(e instanceof ContinueSignal)) throw e;
        } finally {
          this.vars.length = mark;
        }
        return true;
      };
      const kind = kindOf(val);
      let ran = false;
      if (kind === "slice") {
        const arr = val as unknown[];
        for (let i = 0; i < arr.length; i++) {
          ran = true;
          if (!one(i, arr[i])) break;
        }
      } else if (kind === "map") {
        for (const [k, v] of sortedEntries(val as Record<string, unknown>)) {
          ran = true;
          if (!one(k, v)) break;
        }
      } else if (kind === "int") {
        if ((val as number) > 0 && r.pipe.decl.length > 1) this.errorf("can't use 2 variables in range over int");
        for (let i = 0; i < (val as number); i++) {
          ran = true;
          if (!one(i, i)) break;
        }
      } else if (kind !== "invalid") {
        this.errorf(`range can't iterate over ${formatV(val)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.vars.length = outerMark;
    }
  }

  // ---- variables ----
  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: unknown): void {
    this.vars[this.vars.length - n]!.value = value;
  }
  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- expressions ----
  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // Go digs a nil interface{} down to an invalid value between stages.
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.vars.push({ name: v.ident[0]!, value });
    }
    return value;
  }

  private notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        this.errorf("nil is not a command");
      case "number":
        return first.value;
      case "string":
        return first.text;
    }
    this.errorf(`can't evaluate command ${JSON.stringify(nodeString(first))}`);
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: Node[], final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: Node[], final: Final): unknown {
    this.at(chain);
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, "any", chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: Node[], final: Final): unknown {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: Node, ident: string[], args: Node[], final: Final): unknown {
    for (let i = 0; i < ident.length - 1; i++) receiver = this.evalField(dot, ident[i]!, node, [], MISSING, receiver);
    return this.evalField(dot, ident[ident.length - 1]!, node, args, final, receiver);
  }

  private evalField(dot: unknown, name: string, node: Node, args: Node[], final: Final, receiver: unknown): unknown {
    if (receiver === undefined) {
      if (this.opts.missingKey === "error") this.errorf(`nil data; no entry for key ${JSON.stringify(name)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    const kind = kindOf(receiver);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (kind === "map" || kind === "struct") {
      const isMap = receiver instanceof Map;
      const rec = receiver as Record<string, unknown>;
      const present = isMap
        ? (receiver as Map<unknown, unknown>).has(name)
        : isPlainObject(receiver)
          ? Object.prototype.hasOwnProperty.call(receiver, name)
          : name in rec && !(name in Object.prototype);
      const value = present ? (isMap ? (receiver as Map<unknown, unknown>).get(name) : rec[name]) : undefined;
      if (typeof value === "function") {
        return this.evalCall(dot, value as (...a: unknown[]) => unknown, receiver, node, name, args, final);
      }
      if (present) {
        if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
        return value;
      }
      if (kind === "struct") this.errorf(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      if (this.opts.missingKey === "error") this.errorf(`map has no entry for key ${JSON.stringify(name)}`);
      return undefined;
    }
    this.errorf(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: Node[], final: Final): unknown {
    this.at(node);
    const name = node.ident;
    const def = this.opts.funcs.get(name);
    if (!def) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    if ((name === "and" || name === "or") && def === GO_BUILTINS[name]) {
      return this.evalAndOr(dot, name, cmd, args, final);
    }
    return this.callDef(dot, def, cmd, name, args, final);
  }

  private evalAndOr(dot: unknown, name: string, cmd: Node, args: Node[], final: Final): unknown {
    const rest = args.slice(1);
    const n = rest.length + (final === MISSING ? 0 : 1);
    if (n < 1) this.errorf(`wrong number of args for ${name}: want at least 1 got 0`);
    let v: unknown;
    for (const a of rest) {
      v = this.evalArg(dot, "any", a);
      if (isTrue(v) === (name === "or")) return v;
    }
    if (final !== MISSING) v = final === undefined ? null : final;
    void cmd;
    return v;
  }

  /** Calls a function-valued field (a "method" of the data). */
  private evalCall(dot: unknown, fn: (...a: unknown[]) => unknown, self: unknown, node: Node, name: string, args: Node[], final: Final): unknown {
    const argv = args.slice(1).map((a) => this.toArg(this.evalArg(dot, "any", a)));
    if (final !== MISSING) argv.push(this.toArg(final));
    if (fn.length > argv.length) this.errorf(`wrong number of args for ${name}: want ${fn.length} got ${argv.length}`);
    return this.safeCall(node, name, () => fn.apply(self, argv));
  }

  private callDef(dot: unknown, def: FuncDef, cmd: Node, name: string, args: Node[], final: Final): unknown {
    const params = def.params;
    const rest = args.slice(1);
    const numIn = rest.length + (final === MISSING ? 0 : 1);
    if (params) {
      if (def.variadic) {
        if (numIn < params.length) this.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${rest.length}`);
      } else if (numIn !== params.length) {
        this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
      }
    }
    const argv: unknown[] = rest.map((a, i) => this.evalArg(dot, params?.[i] ?? "any", a));
    if (final !== MISSING) {
      const t = params?.[numIn - 1] ?? "any";
      argv.push(this.checkType(this.toArg(final), t));
    }
    return this.safeCall(cmd, name, () => def.fn(...argv));
  }

  private safeCall(node: Node, name: string, f: () => unknown): unknown {
    try {
      return f();
    } catch (e) {
      if (e instanceof Abort) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e instanceof FuncError || e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Go passes a missing value to an interface{} parameter as nil. */
  private toArg(v: unknown): unknown {
    return v === undefined ? null : v;
  }

  private checkType(v: unknown, t: ParamType): unknown {
    if (t === "any") return v;
    if (t === "string" && typeof v === "string") return v;
    if (t === "int" && typeof v === "number" && Number.isInteger(v)) return v;
    if (v === null) this.errorf(`invalid value; expected ${t}`);
    this.errorf(`wrong type for value; expected ${t}; got ${goTypeName(v)}`);
  }

  private evalArg(dot: unknown, t: ParamType, n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.checkType(this.toArg(dot), t);
      case "nil":
        if (t === "any") return null;
        this.errorf(`cannot assign nil to ${t}`);
      case "field":
        return this.checkType(this.toArg(this.evalFieldNode(dot, n, [n], MISSING)), t);
      case "variable":
        return this.checkType(this.toArg(this.evalVariableNode(dot, n, [], MISSING)), t);
      case "pipe":
        return this.checkType(this.toArg(this.evalPipeline(dot, n)), t);
      case "identifier":
        return this.checkType(this.toArg(this.evalFunction(dot, n, n, [n], MISSING)), t);
      case "chain":
        return this.checkType(this.toArg(this.evalChainNode(dot, n, [], MISSING)), t);
      case "bool":
        if (t === "any") return n.value;
        this.errorf(`expected ${t}; found ${n.value}`);
      case "string":
        if (t === "any" || t === "string") return n.text;
        this.errorf(`expected ${t}; found ${n.quoted}`);
      case "number":
        if (t === "any") return n.value;
        if (t === "int" && n.isInt) return n.value;
        this.errorf(`expected ${t === "int" ? "integer" : t}; found ${n.text}`);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${t}`);
  }

  private printValue(node: Node, v: unknown): void {
    this.at(node);
    if (v === undefined || v === null) {
      this.out.push("<no value>");
      return;
    }
    if (typeof v === "function") this.errorf(`can't print ${nodeString(node)} of type ${goTypeName(v)}`);
    this.out.push(formatV(v));
  }
}
