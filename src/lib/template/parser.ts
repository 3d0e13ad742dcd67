/**
 * Recursive-descent parser for Go text/template, following the grammar and
 * error wording of Go's text/template/parse so that `docker ... --format`
 * mistakes produce the messages users know ("template: :1: unexpected ...").
 */
import { lex, itemString, type Item, type ItemType } from "./lexer.js";
import { parseNumber, unquote } from "./literals.js";
import type {
  ActionNode, CommandNode, ListNode, Node, PipeNode, VariableNode, IfNode, RangeNode, WithNode,
} from "./nodes.js";
import { nodeString } from "./nodes.js";

/** A template syntax error; message is Go's ("template: name:line: ..."). */
export class TemplateParseError extends Error {}

export interface ParsedTemplate {
  root: ListNode;
  /** {{define "name"}} bodies, by name. */
  defines: Map<string, ListNode>;
  text: string;
  name: string;
}

export function parse(text: string, name: string, hasFunction: (n: string) => boolean): ParsedTemplate {
  return new Parser(text, name, hasFunction).parseAll();
}

class Parser {
  private items: Item[];
  private i = 0;
  private furthest = 0;
  private vars: string[] = ["$"];
  private rangeDepth = 0;
  private actionLine = 0;
  private defines = new Map<string, ListNode>();

  constructor(private text: string, private name: string, private hasFunction: (n: string) => boolean) {
    this.items = lex(text);
  }

  // ---- token access (Go's next/peek/backup with whitespace skipping) ----
  private next(): Item {
    const idx = Math.min(this.i, this.items.length - 1);
    this.i++;
    this.furthest = Math.max(this.furthest, idx);
    return this.items[idx]!;
  }
  private backup(n = 1): void {
    this.i -= n;
  }
  private peek(): Item {
    const it = this.next();
    this.backup();
    return it;
  }
  private nextNonSpace(): Item {
    let it: Item;
    do it = this.next();
    while (it.typ === "space");
    return it;
  }
  /** Like Go: skips (consumes) spaces, leaves the non-space token unread. */
  private peekNonSpace(): Item {
    const it = this.nextNonSpace();
    this.backup();
    return it;
  }

  private errorf(msg: string): never {
    const line = this.items[Math.min(this.furthest, this.items.length - 1)]!.line;
    throw new TemplateParseError(`template: ${this.name}:${line}: ${msg}`);
  }
  private unexpected(token: Item, context: string): never {
    if (token.typ === "error") {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${token.val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }
  private expect(typ: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== typ) this.unexpected(t, context);
    return t;
  }

  // ---- structure ----
  parseAll(): ParsedTemplate {
    const root: ListNode = { type: "list", pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== "eof") {
      if (this.peek().typ === "leftDelim") {
        const save = this.i;
        this.next();
        if (this.nextNonSpace().typ === "define") {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
    return { root, defines: this.defines, text: this.text, name: this.name };
  }

  private parseDefinition(): void {
    const context = "define clause";
    const nameTok = this.nextNonSpace();
    if (nameTok.typ !== "string" && nameTok.typ !== "rawString") this.unexpected(nameTok, context);
    const name = this.unquoteOrFail(nameTok.val);
    this.expect("rightDelim", context);
    const saveVars = this.vars;
    this.vars = ["$"];
    const [list, end] = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.vars = saveVars;
    this.defines.set(name, list);
  }

  private itemList(): [ListNode, Node] {
    const list: ListNode = { type: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== "eof") {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "text":
        return { type: "text", pos: token.pos, text: token.val };
      case "leftDelim": {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case "comment":
        return { type: "comment", pos: token.pos, text: token.val };
      default:
        this.unexpected(token, "input");
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "block":
        this.errorf("{{block}} is not supported");
      // falls through (unreachable)
      case "break":
      case "continue": {
        const t = this.nextNonSpace();
        if (t.typ !== "rightDelim") this.unexpected(t, `{{${token.typ}}}`);
        if (this.rangeDepth === 0) this.errorf(`{{${token.typ}}} outside {{range}}`);
        return { type: token.typ, pos: token.pos, line: token.line };
      }
      case "else":
        return this.elseControl();
      case "end":
        return { type: "end", pos: this.expect("rightDelim", "end").pos };
      case "if":
        return this.control("if");
      case "range":
        return this.control("range");
      case "template":
        return this.templateControl();
      case "with":
        return this.control("with");
    }
    this.backup();
    const t = this.peek();
    const pipe = this.pipeline("command", "rightDelim");
    const node: ActionNode = { type: "action", pos: t.pos, line: t.line, pipe };
    return node;
  }

  private elseControl(): Node {
    const p = this.peekNonSpace();
    if (p.typ === "if" || p.typ === "with") return { type: "else", pos: p.pos, line: p.line };
    const t = this.expect("rightDelim", "else");
    return { type: "else", pos: t.pos, line: t.line };
  }

  private control(context: "if" | "range" | "with"): IfNode | RangeNode | WithNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, "rightDelim");
      if (context === "range") this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === "range") this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === "else") {
        // "else if"/"else with" chain: parse the inner control; its {{end}} closes both.
        if ((context === "if" || context === "with") && this.peek().typ === context) {
          this.next();
          elseList = { type: "list", pos: next.pos, nodes: [this.control(context)] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== "end") this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList } as IfNode;
    } finally {
      this.vars.length = mark;
    }
  }

  private templateControl(): Node {
    const context = "template clause";
    const tok = this.nextNonSpace();
    if (tok.typ !== "string" && tok.typ !== "rawString") this.unexpected(tok, context);
    const name = this.unquoteOrFail(tok.val);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== "rightDelim") {
      this.backup();
      pipe = this.pipeline(context, "rightDelim");
    }
    return { type: "template", pos: tok.pos, line: tok.line, name, pipe };
  }

  // ---- pipelines ----
  private pipeline(context: string, end: ItemType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== "variable") break;
      const start = this.i;
      this.nextNonSpace();
      const afterVar = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === "assign" || next.typ === "declare") {
        pipe.isAssign = next.typ === "assign";
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(v.val);
        break;
      } else if (next.typ === "char" && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === "variable" || p === "rightDelim" || p === "rightParen") continue;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else {
        void afterVar;
        this.i = start;
        break;
      }
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case "bool": case "charConstant": case "dot": case "field": case "identifier":
        case "number": case "nil": case "rawString": case "string": case "variable": case "leftParen":
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]!.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === "space") continue;
      if (token.typ === "rightDelim" || token.typ === "rightParen") this.backup();
      else if (token.typ !== "pipe") this.unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private operand(): Node | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().typ !== "field") return node;
    const fields: string[] = [];
    const pos = this.peek().pos;
    while (this.peek().typ === "field") fields.push(this.next().val.slice(1));
    switch (node.type) {
      case "field":
        // Go gives the merged node the chain's position (its first trailing field).
        return { type: "field", pos, ident: [...node.ident, ...fields] };
      case "variable":
        return { type: "variable", pos, ident: [...node.ident, ...fields] };
      case "bool": case "string": case "number": case "nil": case "dot":
        this.errorf(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
      default:
        return { type: "chain", pos, node, field: fields };
    }
  }

  private term(): Node | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "identifier":
        if (!this.hasFunction(token.val)) this.errorf(`function ${JSON.stringify(token.val)} not defined`);
        return { type: "identifier", pos: token.pos, ident: token.val };
      case "dot":
        return { type: "dot", pos: token.pos };
      case "nil":
        return { type: "nil", pos: token.pos };
      case "variable":
        return this.useVar(token);
      case "field":
        return { type: "field", pos: token.pos, ident: [token.val.slice(1)] };
      case "bool":
        return { type: "bool", pos: token.pos, value: token.val === "true" };
      case "charConstant":
      case "number": {
        let n;
        try {
          n = parseNumber(token.val);
        } catch (e) {
          this.errorf((e as Error).message);
        }
        return { type: "number", pos: token.pos, text: token.val, ...n };
      }
      case "leftParen":
        return this.pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString":
        return { type: "string", pos: token.pos, quoted: token.val, text: this.unquoteOrFail(token.val) };
    }
    this.backup();
    return null;
  }

  private unquoteOrFail(s: string): string {
    try {
      return unquote(s);
    } catch (e) {
      this.errorf((e as Error).message);
    }
  }

  private newVariable(t: Item): VariableNode {
    return { type: "variable", pos: t.pos, ident: t.val.split(".") };
  }

  private useVar(t: Item): VariableNode {
    const v = this.newVariable(t);
    if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${JSON.stringify(v.ident[0])}`);
    return v;
  }
}
