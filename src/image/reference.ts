import { InvalidArgumentError } from "../lib/errors.js";

/**
 * Docker image references (`[domain/]path[:tag][@digest]`), normalised the
 * way the docker CLI and daemon do: the default domain is docker.io and
 * single-component names live under `library/`.
 */
export interface Reference {
  /** Registry host, e.g. "docker.io", "localhost:5000". */
  domain: string;
  /** Repository path within the registry, e.g. "library/busybox". */
  path: string;
  tag?: string;
  digest?: string;
}

export const DEFAULT_DOMAIN = "docker.io";
export const DEFAULT_TAG = "latest";
const LEGACY_DOMAIN = "index.docker.io";
const OFFICIAL_PREFIX = "library/";
const NAME_MAX = 255;

// Grammar pieces from the distribution reference spec.
const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const NAME = `(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)`;
const REFERENCE_RE = new RegExp(`^${NAME}(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const HEX64_RE = /^[a-f0-9]{64}$/;
const TAG_RE = new RegExp(`^${TAG}$`);

/** Parse a reference exactly as written (no normalisation), with the distribution library's error texts. */
function parseExact(s: string): Reference {
  const m = REFERENCE_RE.exec(s);
  if (!m) {
    if (s === "") throw new InvalidArgumentError("invalid reference format: repository name must have at least one component");
    if (REFERENCE_RE.test(s.toLowerCase())) throw new InvalidArgumentError("invalid reference format: repository name must be lowercase");
    throw new InvalidArgumentError("invalid reference format");
  }
  const [, domain = "", path, tag, digest] = m;
  const name = domain ? `${domain}/${path}` : path;
  if (name.length > NAME_MAX) throw new InvalidArgumentError(`invalid reference format: repository name must not be more than ${NAME_MAX} characters`);
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new InvalidArgumentError("invalid reference format: invalid digest format");
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Split a name into registry domain and remainder, the docker CLI way. */
function splitDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf("/");
  let domain: string;
  let remainder: string;
  const first = i < 0 ? "" : name.slice(0, i);
  if (i < 0 || (!/[.:]/.test(first) && first !== "localhost" && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes("/")) remainder = OFFICIAL_PREFIX + remainder;
  return { domain, remainder };
}

/**
 * Parse a user-supplied reference into its fully qualified form
 * (`busybox` → docker.io/library/busybox). No default tag is added.
 */
export function parseNormalizedReference(s: string): Reference {
  if (HEX64_RE.test(s)) {
    throw new InvalidArgumentError(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain, remainder } = splitDomain(s);
  // Like the docker CLI, only text before the first ':' is checked for case (tags may be upper case).
  const nameEnd = remainder.indexOf(":");
  const remainderName = nameEnd < 0 ? remainder : remainder.slice(0, nameEnd);
  if (remainderName.toLowerCase() !== remainderName) {
    throw new InvalidArgumentError(`invalid reference format: repository name (${remainderName}) must be lowercase`);
  }
  const ref = parseExact(`${domain}/${remainder}`);
  // A first component that looks like a host but is not a valid one would otherwise be read as a path.
  if (ref.domain !== domain) throw new InvalidArgumentError("invalid reference format");
  return ref;
}

/** Add `:latest` when neither tag nor digest is present. */
export function withDefaultTag(ref: Reference): Reference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;
}

/** Fully qualified repository name: "docker.io/library/busybox". */
export function fullName(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

/** Fully qualified string with tag and digest. */
export function fullString(ref: Reference): string {
  return fullName(ref) + (ref.tag !== undefined ? `:${ref.tag}` : "") + (ref.digest !== undefined ? `@${ref.digest}` : "");
}

/** The short name users type: "busybox", "user/repo", "localhost:5000/x". */
export function familiarName(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return fullName(ref);
  const p = ref.path;
  if (p.startsWith(OFFICIAL_PREFIX) && p.indexOf("/", OFFICIAL_PREFIX.length) < 0) return p.slice(OFFICIAL_PREFIX.length);
  return p;
}

/** Familiar name with tag and digest: "busybox:latest", "localhost:5000/x@sha256:…". */
export function familiarString(ref: Reference): string {
  return familiarName(ref) + (ref.tag !== undefined ? `:${ref.tag}` : "") + (ref.digest !== undefined ? `@${ref.digest}` : "");
}

/** Validate a tag on its own (POST /images/{name}/tag?tag=). */
export function validateTag(tag: string): void {
  if (!TAG_RE.test(tag)) throw new InvalidArgumentError(`invalid tag format: ${tag}`);
}

/**
 * Docker's reference filter: a Go `path.Match` glob against the familiar
 * string ("busybox:latest") or the familiar name ("busybox").
 */
export function familiarMatch(pattern: string, ref: Reference): boolean {
  const re = globToRegExp(pattern);
  return re.test(familiarString(ref)) || re.test(familiarName(ref));
}

/** Go path.Match semantics: `*` and `?` never cross '/', `[...]` classes, `\` escapes. */
export function globToRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "\\" && i + 1 < pattern.length) out += escapeRe(pattern[++i]);
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) throw new InvalidArgumentError(`invalid reference filter pattern: ${pattern}`);
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith("^")) cls = "^" + cls.slice(1).replace(/[\\\]]/g, "\\$&");
      else cls = cls.replace(/[\\\]^]/g, "\\$&");
      out += `[${cls}]`;
      i = end;
    } else out += escapeRe(c);
  }
  return new RegExp(`^${out}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
