/**
 * Compose's merge tags: `!reset` removes an inherited value, `!override`
 * replaces it instead of merging. The YAML reader turns tagged nodes into
 * these markers; the merge consumes them, and none survive loading.
 */
export class ResetTag {}

export class OverrideTag {
  constructor(readonly value: unknown) {}
}

/** Drop the markers from a tree that is not merged onto anything (the first file). */
export function stripTags(node: unknown): unknown {
  if (node instanceof OverrideTag) return stripTags(node.value);
  if (Array.isArray(node)) return node.filter((v) => !(v instanceof ResetTag)).map(stripTags);
  if (node && typeof node === "object" && Object.getPrototypeOf(node) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (!(v instanceof ResetTag)) out[k] = stripTags(v);
    return out;
  }
  return node;
}
