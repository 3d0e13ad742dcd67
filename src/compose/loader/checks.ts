import { InvalidProjectError } from "../errors.js";
import type { Project, Service } from "../model.js";

/**
 * Cross-references the schema cannot see: depends_on, volumes_from and
 * network_mode name existing services, there is no dependency cycle,
 * services use only declared networks, volumes, secrets and configs.
 * Each failure is one message naming the service and the key.
 */
export function checkProject(p: Project): void {
  const all: Record<string, Service> = { ...p.services, ...p.disabledServices };
  for (const s of Object.values(all)) {
    for (const dep of Object.keys(s.depends_on ?? {})) {
      if (!all[dep]) throw new InvalidProjectError(`service "${s.name}" depends on undefined service "${dep}": invalid compose project`);
    }
    for (const vf of s.volumes_from ?? []) {
      const ref = vf.split(":")[0];
      if (ref !== "container" && !all[ref]) throw new InvalidProjectError(`service "${s.name}" refers to undefined service "${ref}" in volumes_from: invalid compose project`);
    }
    const nm = s.network_mode;
    if (nm?.startsWith("service:") && !all[nm.slice(8)]) throw new InvalidProjectError(`service "${s.name}" refers to undefined service "${nm.slice(8)}" in network_mode: invalid compose project`);
    if (nm && s.networks && Object.keys(s.networks).some((n) => n !== "default")) throw new InvalidProjectError(`service "${s.name}": "network_mode" and "networks" cannot be combined`);
    for (const net of Object.keys(s.networks ?? {})) {
      if (!p.networks[net]) throw new InvalidProjectError(`service "${s.name}" refers to undefined network ${net}: invalid compose project`);
    }
    for (const v of s.volumes ?? []) {
      if (v.type === "volume" && v.source && !p.volumes[v.source]) throw new InvalidProjectError(`service "${s.name}" refers to undefined volume ${v.source}: invalid compose project`);
    }
    for (const [kind, refs] of [["secret", s.secrets], ["config", s.configs]] as const) {
      for (const r of refs ?? []) {
        const pool = kind === "secret" ? p.secrets : p.configs;
        if (!pool[r.source]) throw new InvalidProjectError(`service "${s.name}" refers to undefined ${kind} ${r.source}: invalid compose project`);
      }
    }
  }
  const cycle = findCycle(all);
  if (cycle) throw new InvalidProjectError(`dependency cycle detected: ${cycle.join(" -> ")}`);
}

function findCycle(all: Record<string, Service>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === "done") return undefined;
    if (state.get(n) === "visiting") return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, "visiting");
    stack.push(n);
    for (const dep of Object.keys(all[n]?.depends_on ?? {})) {
      const c = visit(dep);
      if (c) return c;
    }
    for (const vf of all[n]?.volumes_from ?? []) {
      const ref = vf.split(":")[0];
      if (all[ref]) {
        const c = visit(ref);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, "done");
    return undefined;
  };
  for (const n of Object.keys(all)) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}
