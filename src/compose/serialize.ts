import type { Dict, Project } from "./model.js";

/**
 * The project as `config` prints it: compose's canonical model, keys in
 * sorted order, only the services asked for (all when none).
 */
export function projectToConfig(p: Project, only: string[] = []): Dict {
  const services: Dict = {};
  for (const [name, s] of Object.entries(p.services)) {
    if (only.length && !only.includes(name)) continue;
    const copy: Dict = { ...s };
    delete copy.name;
    services[name] = sorted(copy);
  }
  const out: Dict = { name: p.name, services };
  for (const k of ["networks", "volumes", "secrets", "configs"] as const) if (Object.keys(p[k]).length) out[k] = sorted(p[k] as Dict);
  return { ...out, ...p.extensions };
}

function sorted(v: unknown): Dict {
  if (!v || typeof v !== "object" || Array.isArray(v)) return v as Dict;
  const out: Dict = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Dict)[k];
    if (x === undefined) continue;
    out[k] = x && typeof x === "object" && !Array.isArray(x) ? sorted(x) : Array.isArray(x) ? x.map((i) => (i && typeof i === "object" && !Array.isArray(i) ? sorted(i) : i)) : x;
  }
  return out;
}
