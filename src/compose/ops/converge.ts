import { ComposeError } from "../errors.js";
import { replicasOf, type Service } from "../model.js";
import { serviceConfigHash } from "../planner/config-hash.js";
import { planContainer } from "../planner/container-config.js";
import { LABEL } from "../planner/labels.js";
import type { ComposeContext } from "./context.js";
import { containerName, imageName, isRunning, type ProjectContainer } from "./observed.js";

/**
 * Bring one service's containers to the wanted state, docker compose's
 * way: keep containers whose config hash and image are unchanged, recreate
 * the others (anonymous volumes carried over unless renewed), remove the
 * surplus above the scale, create what is missing, start what is not
 * running. Containers are `<project>-<service>-<n>`.
 */
export interface ConvergeOptions {
  forceRecreate?: boolean;
  noRecreate?: boolean;
  scale?: number;
  renewAnonVolumes?: boolean;
  /** Stop timeout (seconds) when a container is replaced or removed. */
  timeout?: number;
  noStart?: boolean;
}

export interface ToStart {
  id: string;
  name: string;
}

/** Phase one of `up`: create, recreate and remove; returns the containers to start (phase two). */
export async function convergeService(ctx: ComposeContext, s: Service, imageId: string | undefined, observed: ProjectContainer[], o: ConvergeOptions): Promise<ToStart[]> {
  const wanted = o.scale ?? replicasOf(s);
  if (s.container_name && wanted > 1) throw new ComposeError(`service "${s.name}": container_name "${s.container_name}" must be unique: it cannot be scaled to ${wanted}`);
  const existing = observed.filter((c) => c.service === s.name && !c.oneoff).sort((a, b) => a.number - b.number);
  const hash = serviceConfigHash(s);
  const keep = existing.slice(0, wanted);
  const surplus = existing.slice(wanted).reverse();
  await Promise.all(surplus.map((c) => removeContainer(ctx, c, o.timeout)));

  const containerOf = (svc: string): string | undefined => observed.find((c) => c.service === svc && !c.oneoff)?.name ?? (ctx.project.services[svc] ? containerName(ctx.project, ctx.project.services[svc], 1) : undefined);
  const toStart: ToStart[] = [];
  await Promise.all(
    keep.map(async (c) => {
      const diverged = c.Labels?.[LABEL.configHash] !== hash || (imageId !== undefined && c.ImageID !== imageId);
      if (o.forceRecreate || (diverged && !o.noRecreate)) {
        const id = await recreate(ctx, s, c, imageId, containerOf, o);
        toStart.push({ id, name: c.name });
      } else if (!isRunning(c)) toStart.push({ id: c.Id, name: c.name });
      else ctx.report.progress("Container", c.name, "Running");
    }),
  );
  const used = new Set(keep.map((c) => c.number));
  const creates: Promise<void>[] = [];
  for (let n = 1, made = keep.length; made < wanted; n++) {
    if (used.has(n)) continue;
    made++;
    const name = containerName(ctx.project, s, n);
    creates.push(createContainer(ctx, s, n, name, imageId, containerOf, new Map()).then((id) => void toStart.push({ id, name })));
  }
  await Promise.all(creates);
  return toStart.sort((a, b) => a.name.localeCompare(b.name));
}

export async function createContainer(ctx: ComposeContext, s: Service, number: number, name: string, imageId: string | undefined, containerOf: (svc: string) => string | undefined, previousAnon: Map<string, string>): Promise<string> {
  const plan = planContainer(ctx.project, s, { name, number, oneoff: false, image: imageName(ctx.project, s), imageId, containerOf, previousAnon }, (m) => ctx.report.warn(m));
  ctx.report.progress("Container", name, "Creating");
  let id: string;
  try {
    const res = await ctx.client.containerCreate(plan.body, name, plan.platform);
    id = res.Id;
    for (const w of res.Warnings ?? []) ctx.report.warn(w);
  } catch (err) {
    throw new ComposeError(`service "${s.name}": creating container ${name}: ${(err as Error).message}`);
  }
  for (const c of plan.connect) await ctx.client.networkConnect(c.network, id, c.endpoint);
  ctx.report.progress("Container", name, "Created");
  return id;
}

async function recreate(ctx: ComposeContext, s: Service, old: ProjectContainer, imageId: string | undefined, containerOf: (svc: string) => string | undefined, o: ConvergeOptions): Promise<string> {
  const anon = new Map<string, string>();
  if (!o.renewAnonVolumes) {
    const info = await ctx.client.containerInspect(old.Id);
    const anonTargets = new Set((s.volumes ?? []).filter((v) => v.type === "volume" && !v.source).map((v) => v.target));
    for (const m of (info.Mounts ?? []) as Array<{ Type?: string; Name?: string; Destination?: string }>) {
      if (m.Type === "volume" && m.Name && m.Destination && anonTargets.has(m.Destination)) anon.set(m.Destination, m.Name);
    }
  }
  ctx.report.progress("Container", old.name, "Recreate");
  if (isRunning(old)) await ctx.client.containerStop(old.Id, { timeout: o.timeout });
  await ctx.client.containerRemove(old.Id, { force: true });
  const id = await createContainer(ctx, s, old.number, old.name, imageId, containerOf, anon);
  ctx.report.progress("Container", old.name, "Recreated");
  return id;
}

export async function startContainer(ctx: ComposeContext, id: string, name: string): Promise<void> {
  ctx.report.progress("Container", name, "Starting");
  try {
    await ctx.client.containerStart(id);
  } catch (err) {
    throw new ComposeError(`Error response from daemon: ${(err as Error).message} (container ${name})`);
  }
  ctx.report.progress("Container", name, "Started");
}

export async function removeContainer(ctx: ComposeContext, c: ProjectContainer, timeout: number | undefined, volumes = false): Promise<void> {
  if (isRunning(c)) {
    ctx.report.progress("Container", c.name, "Stopping");
    await ctx.client.containerStop(c.Id, { timeout });
    ctx.report.progress("Container", c.name, "Stopped");
  }
  ctx.report.progress("Container", c.name, "Removing");
  await ctx.client.containerRemove(c.Id, { force: true, volumes });
  ctx.report.progress("Container", c.name, "Removed");
}
