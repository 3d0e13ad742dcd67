import { InvalidArgumentError } from "../../lib/errors.js";
import { parseJsonArray, type Heredoc, type Node } from "./parser.js";
import { splitRawWords } from "./shell-lex.js";

/**
 * Typed instructions from parser nodes. Arguments stay unexpanded (expansion
 * needs the build-time environment, see the dispatcher); what can be checked
 * without it (arity, JSON form, flags) is checked here with Docker's messages.
 */
export type CommandForm = { json: string[] } | { shell: string };

export type Instruction =
  | { kind: "from"; node: Node; image: string; stageName?: string; platform?: string }
  | { kind: "run"; node: Node; form: CommandForm; heredocs: Heredoc[]; network?: string }
  | { kind: "cmd" | "entrypoint"; node: Node; form: CommandForm }
  | { kind: "env" | "label"; node: Node; pairs: [string, string][] }
  | { kind: "maintainer" | "user" | "workdir" | "stopsignal" | "onbuild"; node: Node; value: string }
  | { kind: "expose"; node: Node; ports: string }
  | { kind: "volume"; node: Node; json?: string[]; raw: string }
  | { kind: "copy" | "add"; node: Node; sources: string[]; dest: string; from?: string; chown?: string; chmod?: string; heredocs: Heredoc[]; json: boolean }
  | { kind: "arg"; node: Node; args: { name: string; value?: string }[] }
  | { kind: "shell"; node: Node; shell: string[] }
  | { kind: "healthcheck"; node: Node; none: boolean; form?: CommandForm; options: Record<string, string> };

export interface Stage {
  name?: string;
  index: number;
  from: Extract<Instruction, { kind: "from" }>;
  commands: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM. */
  metaArgs: Extract<Instruction, { kind: "arg" }>[];
  stages: Stage[];
}

function lineErr(node: Node, msg: string): InvalidArgumentError {
  return new InvalidArgumentError(`dockerfile parse error line ${node.startLine}: ${msg}`);
}

function flagMap(node: Node, allowed: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of node.flags) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(f)!;
    if (!allowed.includes(m[1])) throw lineErr(node, `Unknown flag: ${m[1]}`);
    out[m[1]] = (m[2] ?? "").replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1");
  }
  return out;
}

function commandForm(node: Node): CommandForm {
  const json = parseJsonArray(node.rest);
  return json ? { json } : { shell: node.rest };
}

function pairsOf(node: Node, escape: string): [string, string][] {
  const name = node.cmd.toUpperCase();
  const words = splitRawWords(node.rest, escape);
  if (words.length === 0) throw new InvalidArgumentError(`failed to parse Dockerfile: ${name} must have two arguments`);
  if (!words[0].includes("=")) {
    // Legacy form: `ENV key value with spaces`.
    const value = node.rest.slice(node.rest.indexOf(words[0]) + words[0].length).trim();
    if (words.length < 2 || value === "") throw new InvalidArgumentError(`failed to parse Dockerfile: ${name} must have two arguments`);
    return [[words[0], value]];
  }
  return words.map((w) => {
    const eq = w.indexOf("=");
    if (eq <= 0) throw new InvalidArgumentError(`failed to parse Dockerfile: Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

export function toInstruction(node: Node, escape: string): Instruction {
  const name = node.cmd.toUpperCase();
  const needArgs = () => {
    if (node.rest === "" && node.heredocs.length === 0) throw new InvalidArgumentError(`failed to parse Dockerfile: ${name} requires at least one argument`);
  };
  switch (node.cmd) {
    case "from": {
      const f = flagMap(node, ["platform"]);
      const words = node.rest.split(/\s+/).filter(Boolean);
      if (!(words.length === 1 || (words.length === 3 && words[1].toLowerCase() === "as"))) {
        throw new InvalidArgumentError(`failed to parse Dockerfile: FROM requires either one or three arguments`);
      }
      return { kind: "from", node, image: words[0], stageName: words[2]?.toLowerCase(), platform: f.platform };
    }
    case "run": {
      const f = flagMap(node, ["network", "mount", "security"]);
      needArgs();
      return { kind: "run", node, form: commandForm(node), heredocs: node.heredocs, network: f.network };
    }
    case "cmd":
    case "entrypoint":
      flagMap(node, []);
      return { kind: node.cmd, node, form: commandForm(node) };
    case "env":
    case "label":
      flagMap(node, []);
      return { kind: node.cmd, node, pairs: pairsOf(node, escape) };
    case "maintainer":
    case "user":
    case "workdir":
    case "stopsignal":
    case "onbuild":
      flagMap(node, []);
      if (node.rest === "") throw new InvalidArgumentError(`failed to parse Dockerfile: ${name} requires exactly one argument`);
      if (node.cmd === "onbuild") {
        const inner = node.rest.split(/\s+/)[0].toUpperCase();
        if (inner === "ONBUILD") throw lineErr(node, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        if (inner === "FROM" || inner === "MAINTAINER") throw lineErr(node, `${inner} isn't allowed as an ONBUILD trigger`);
      }
      return { kind: node.cmd, node, value: node.rest };
    case "expose":
      flagMap(node, []);
      if (node.rest === "") throw new InvalidArgumentError(`failed to parse Dockerfile: EXPOSE requires at least one argument`);
      return { kind: "expose", node, ports: node.rest };
    case "volume":
      flagMap(node, []);
      if (node.rest === "") throw new InvalidArgumentError(`failed to parse Dockerfile: VOLUME requires at least one argument`);
      return { kind: "volume", node, json: parseJsonArray(node.rest), raw: node.rest };
    case "copy":
    case "add": {
      const f = flagMap(node, node.cmd === "copy" ? ["from", "chown", "chmod", "link"] : ["chown", "chmod", "link", "checksum", "keep-git-dir"]);
      const json = parseJsonArray(node.rest);
      const words = json ?? splitRawWords(node.rest, escape);
      if (words.length < 2 && node.heredocs.length === 0) throw new InvalidArgumentError(`failed to parse Dockerfile: ${name} requires at least two arguments, but only one was provided. Destination could not be determined.`);
      return { kind: node.cmd, node, sources: words.slice(0, -1), dest: words[words.length - 1], from: f.from, chown: f.chown, chmod: f.chmod, heredocs: node.heredocs, json: !!json };
    }
    case "arg": {
      flagMap(node, []);
      const words = splitRawWords(node.rest, escape);
      if (words.length === 0) throw new InvalidArgumentError(`failed to parse Dockerfile: ARG requires exactly one argument`);
      return {
        kind: "arg", node,
        args: words.map((w) => {
          const eq = w.indexOf("=");
          return eq < 0 ? { name: w } : { name: w.slice(0, eq), value: w.slice(eq + 1) };
        }),
      };
    }
    case "shell": {
      const json = parseJsonArray(node.rest);
      if (!json) throw lineErr(node, "SHELL requires the arguments to be in JSON form");
      return { kind: "shell", node, shell: json };
    }
    case "healthcheck": {
      const options = flagMap(node, ["interval", "timeout", "start-period", "start-interval", "retries"]);
      const words = node.rest.split(/\s+/);
      const typ = words[0].toUpperCase();
      if (typ === "NONE") {
        if (words.length > 1) throw new InvalidArgumentError(`failed to parse Dockerfile: HEALTHCHECK NONE takes no arguments`);
        return { kind: "healthcheck", node, none: true, options };
      }
      if (typ !== "CMD") throw new InvalidArgumentError(`failed to parse Dockerfile: Unknown type "${typ}" in HEALTHCHECK (try CMD)`);
      const rest = node.rest.slice(words[0].length).trim();
      const json = parseJsonArray(rest);
      return { kind: "healthcheck", node, none: false, form: json ? { json } : { shell: rest }, options };
    }
  }
  throw lineErr(node, `unknown instruction: ${name}`);
}

/** Group instructions into stages; the ARGs before the first FROM are meta args. */
export function toDockerfile(nodes: Node[], escape: string): Dockerfile {
  const metaArgs: Dockerfile["metaArgs"] = [];
  const stages: Stage[] = [];
  for (const node of nodes) {
    const ins = toInstruction(node, escape);
    if (ins.kind === "from") {
      stages.push({ name: ins.stageName, index: stages.length, from: ins, commands: [] });
    } else if (stages.length === 0) {
      if (ins.kind !== "arg") throw new InvalidArgumentError(`failed to parse Dockerfile: no build stage in current context`);
      metaArgs.push(ins);
    } else {
      stages[stages.length - 1].commands.push(ins);
    }
  }
  if (stages.length === 0) throw new InvalidArgumentError("failed to parse Dockerfile: file with no instructions");
  return { metaArgs, stages };
}
