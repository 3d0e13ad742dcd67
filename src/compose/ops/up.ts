import { ComposeError } from "../errors.js";
import type { Service } from "../model.js";
import { unsupportedKeys } from "../planner/container-config.js";
import type { ComposeContext } from "./context.js";
import { convergeService, removeContainer, startContainer, type ConvergeOptions, type ToStart } from "./converge.js";
import { walkServices } from "./graph.js";
import { ensureImages, type BuildOptions } from "./images.js";
import { projectContainers } from "./observed.js";
import { ensureNetworks, ensureVolumes } from "./resources.js";
import { waitForCondition, waitRunningOrHealthy } from "./wait.js";

/**
 * `up` / `create`: networks and volumes, images, then every selected
 * service converged as soon as its dependencies are up and their
 * depends_on conditions hold, independent services in parallel.
 */
export interface UpOptions extends ConvergeOptions {
  services?: string[];
  noDeps?: boolean;
  build?: boolean;
  noBuild?: boolean;
  pull?: string;
  buildOptions?: BuildOptions;
  scales?: Map<string, number>;
  removeOrphans?: boolean;
  /** `--wait`: return once everything is running/healthy. */
  wait?: boolean;
  /** Bound for dependency conditions and `--wait` (ms). */
  waitTimeoutMs?: number;
}

export const DEFAULT_WAIT_MS = 120_000;

/** The selected services and (unless noDeps) what they depend on. */
export function selectServices(ctx: ComposeContext, names: string[] | undefined, noDeps = false): Record<string, Service> {
  const all = ctx.project.services;
  if (!names?.length) return { ...all };
  const out: Record<string, Service> = {};
  const add = (n: string) => {
    if (out[n]) return;
    const s = all[n];
    if (!s) throw new ComposeError(ctx.project.disabledServices[n] ? `service "${n}" is not enabled by the active profiles` : `no such service: ${n}`);
    out[n] = s;
    if (!noDeps) for (const [d, dep] of Object.entries(s.depends_on ?? {})) if (all[d] || dep.required) add(d);
  };
  for (const n of names) add(n);
  // keep file order
  return Object.fromEntries(Object.keys(all).filter((n) => out[n]).map((n) => [n, out[n]]));
}

export async function up(ctx: ComposeContext, o: UpOptions): Promise<void> {
  for (const n of o.scales?.keys() ?? []) if (!ctx.project.services[n]) throw new ComposeError(`no such service: ${n}`);
  const targets = selectServices(ctx, o.services, o.noDeps);
  for (const s of Object.values(targets)) for (const w of unsupportedKeys(s)) ctx.report.warn(w);
  const observed = await projectContainers(ctx, { oneoff: false });
  const known = new Set([...Object.keys(ctx.project.services), ...Object.keys(ctx.project.disabledServices)]);
  const orphans = observed.filter((c) => !known.has(c.service));
  if (orphans.length && o.removeOrphans) await Promise.all(orphans.map((c) => removeContainer(ctx, c, o.timeout)));
  else if (orphans.length) ctx.report.warn(`Found orphan containers (${orphans.map((c) => c.name).join(", ")}) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);

  const imageIds = await ensureResources(ctx, targets, o);
  const timeout = o.waitTimeoutMs ?? DEFAULT_WAIT_MS;
  // like docker compose: every container is created first (in parallel), then started in dependency order
  const toStart = new Map<string, ToStart[]>();
  await walkServices(targets, async (s) => void toStart.set(s.name, await convergeService(ctx, s, imageIds.get(s.name), observed, { ...o, scale: o.scales?.get(s.name) })), false, true);
  if (o.noStart) return;
  await walkServices(targets, async (s) => {
    for (const [dep, d] of Object.entries(s.depends_on ?? {})) {
      if (targets[dep]) await waitForCondition(ctx, dep, d.condition, timeout);
    }
    await Promise.all((toStart.get(s.name) ?? []).map((c) => startContainer(ctx, c.id, c.name)));
  });
  if (o.wait) await waitRunningOrHealthy(ctx, Object.keys(targets), timeout);
}

/** Networks, volumes and images the services need; returns each service's image ID. */
export async function ensureResources(ctx: ComposeContext, targets: Record<string, Service>, o: Pick<UpOptions, "build" | "noBuild" | "pull" | "buildOptions">): Promise<Map<string, string>> {
  const networks = new Set<string>();
  const volumes = new Set<string>();
  for (const s of Object.values(targets)) {
    for (const n of Object.keys(s.networks ?? {})) networks.add(n);
    for (const v of s.volumes ?? []) if (v.type === "volume" && v.source) volumes.add(v.source);
  }
  await Promise.all([ensureNetworks(ctx, [...networks]), ensureVolumes(ctx, [...volumes])]);
  return ensureImages(ctx, Object.values(targets), o);
}
