/**
 * Parse tree of a Go text/template. Node shapes follow Go's parse package so
 * execution can follow Go's evaluation rules; nodeString() renders a node the
 * way Go does inside execution errors ("executing \"\" at <.Foo.Bar>").
 */

export type Node =
  | ListNode | TextNode | ActionNode | CommentNode | PipeNode | CommandNode
  | FieldNode | VariableNode | ChainNode | IdentifierNode | DotNode | NilNode
  | BoolNode | NumberNode | StringNode | IfNode | RangeNode | WithNode
  | BreakNode | ContinueNode | TemplateNode | EndNode | ElseNode;

interface Base { pos: number; line?: number }
export interface ListNode extends Base { type: "list"; nodes: Node[] }
export interface TextNode extends Base { type: "text"; text: string }
export interface CommentNode extends Base { type: "comment"; text: string }
export interface ActionNode extends Base { type: "action"; pipe: PipeNode }
export interface PipeNode extends Base {
  type: "pipe";
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode extends Base { type: "command"; args: Node[] }
export interface FieldNode extends Base { type: "field"; ident: string[] }
export interface VariableNode extends Base { type: "variable"; ident: string[] }
export interface ChainNode extends Base { type: "chain"; node: Node; field: string[] }
export interface IdentifierNode extends Base { type: "identifier"; ident: string }
export interface DotNode extends Base { type: "dot" }
export interface NilNode extends Base { type: "nil" }
export interface BoolNode extends Base { type: "bool"; value: boolean }
export interface NumberNode extends Base {
  type: "number";
  text: string;
  value: number;
  isInt: boolean;
  isChar: boolean;
}
export interface StringNode extends Base { type: "string"; quoted: string; text: string }
interface BranchBase extends Base { pipe: PipeNode; list: ListNode; elseList: ListNode | null }
export interface IfNode extends BranchBase { type: "if" }
export interface RangeNode extends BranchBase { type: "range" }
export interface WithNode extends BranchBase { type: "with" }
export interface BreakNode extends Base { type: "break" }
export interface ContinueNode extends Base { type: "continue" }
export interface TemplateNode extends Base { type: "template"; name: string; pipe: PipeNode | null }
export interface EndNode extends Base { type: "end" }
export interface ElseNode extends Base { type: "else" }

export function nodeString(n: Node): string {
  switch (n.type) {
    case "list":
      return n.nodes.map(nodeString).join("");
    case "text":
      return JSON.stringify(n.text);
    case "comment":
      return `{{${n.text}}}`;
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "pipe": {
      let s = "";
      if (n.decl.length > 0) {
        s = n.decl.map(nodeString).join(", ") + (n.isAssign ? " = " : " := ");
      }
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case "field":
      return n.ident.map((i) => "." + i).join("");
    case "variable":
      return n.ident.join(".");
    case "chain": {
      const inner = n.node.type === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node);
      return inner + n.field.map((f) => "." + f).join("");
    }
    case "identifier":
      return n.ident;
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return n.value ? "true" : "false";
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "if":
    case "range":
    case "with": {
      const head = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      const tail = n.elseList ? `{{else}}${nodeString(n.elseList)}` : "";
      return `${head}${tail}{{end}}`;
    }
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
    case "template":
      return n.pipe ? `{{template ${JSON.stringify(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${JSON.stringify(n.name)}}}`;
    case "end":
      return "{{end}}";
    case "else":
      return "{{else}}";
  }
}
