import { createHash } from "node:crypto";
import type { Service } from "../model.js";

/**
 * The service's config hash (label com.docker.compose.config-hash): a
 * sha256 of its normalized config without what does not change a container
 * (build instructions, replica counts, pull policy, profiles). `up`
 * recreates a container when its label differs.
 */
export function serviceConfigHash(s: Service): string {
  const copy: Record<string, unknown> = { ...s };
  for (const k of ["build", "pull_policy", "scale", "profiles", "name"]) delete copy[k];
  if (copy.deploy && typeof copy.deploy === "object") {
    const d = { ...(copy.deploy as Record<string, unknown>) };
    delete d.replicas;
    copy.deploy = d;
  }
  return createHash("sha256").update(stableJson(copy)).digest("hex");
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v ?? null);
}
