/**
 * Docker image references as users see them ("familiar" form): default
 * registry `docker.io/` and the `library/` namespace are hidden.
 */
export interface ParsedReference {
  name: string;
  tag?: string;
  digest?: string;
}

export function parseReference(ref: string): ParsedReference | undefined {
  if (/^[a-f0-9]{64}$/.test(ref)) return undefined;
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!/^[a-z0-9]+([._-]+[a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/i.test(rest) || rest !== rest.toLowerCase() && !rest.includes("/")) return undefined;
  return { name: familiarName(rest), tag, digest };
}

export function familiarName(name: string): string {
  let n = name;
  if (n.startsWith("docker.io/")) n = n.slice("docker.io/".length);
  else if (n.startsWith("index.docker.io/")) n = n.slice("index.docker.io/".length);
  if (n.startsWith("library/") && n.split("/").length === 2) n = n.slice("library/".length);
  return n;
}
