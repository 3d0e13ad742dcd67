import { Scalar, parseDocument, visit, type Node } from "yaml";
import { InvalidProjectError } from "../errors.js";
import { OverrideTag, ResetTag } from "./tags.js";

/**
 * Parse one compose file: YAML 1.2 with merge keys (`<<`), duplicate keys
 * refused, `!reset`/`!override` turned into markers. Errors name the file
 * and the line, never a stack.
 */
export function parseComposeYaml(text: string, file: string): Record<string, unknown> {
  const doc = parseDocument(text, { uniqueKeys: true, merge: true, prettyErrors: true, strict: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    const msg = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new InvalidProjectError(`${file}: yaml: ${pos ? `line ${pos.line}, column ${pos.col}: ` : ""}${msg}`);
  }
  visit(doc, {
    Node(_key, node) {
      const tag = (node as Node & { tag?: string }).tag;
      if (tag === "!reset") return new Scalar(new ResetTag());
      if (tag === "!override") return new Scalar(new OverrideTag(node.toJS(doc)));
      return undefined;
    },
  });
  const value: unknown = doc.toJS({ maxAliasCount: 10_000 });
  if (value === null || value === undefined) throw new InvalidProjectError(`${file}: empty compose file`);
  if (typeof value !== "object" || Array.isArray(value)) throw new InvalidProjectError(`${file}: top-level object must be a mapping`);
  return value as Record<string, unknown>;
}

