import type { AuthConfig } from "../../registry/client/auth.js";

/**
 * Decode the X-Registry-Auth header: base64url (docker CLI) or standard
 * base64 JSON AuthConfig. An empty or undecodable header means anonymous,
 * as in dockerd.
 */
export function decodeRegistryAuth(header: string | string[] | undefined): AuthConfig | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (!h) return undefined;
  try {
    const json = Buffer.from(h.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
    const doc = JSON.parse(json) as AuthConfig;
    return doc && typeof doc === "object" && Object.keys(doc).length ? doc : undefined;
  } catch {
    return undefined;
  }
}
