import { ApiError } from "../../client/api-error.js";
import { ComposeError } from "../errors.js";
import type { Network, Volume } from "../model.js";
import { COMPOSE_VERSION, LABEL } from "../planner/labels.js";
import type { ComposeContext } from "./context.js";

/**
 * Project networks and volumes: created when missing (labelled like docker
 * compose does), external ones must exist, removed by `down`.
 */
export async function ensureNetworks(ctx: ComposeContext, keys: string[]): Promise<void> {
  await Promise.all(keys.map((k) => ensureNetwork(ctx, k, ctx.project.networks[k])));
}

async function ensureNetwork(ctx: ComposeContext, key: string, n: Network): Promise<void> {
  const existing = await ctx.client.networkInspect(n.name).catch((err) => notFound(err));
  if (n.external) {
    if (!existing) throw new ComposeError(`network ${n.name} declared as external, but could not be found`);
    return;
  }
  if (existing) return;
  if (n.enable_ipv6) ctx.report.warn(`network ${key}: enable_ipv6 is not supported by every engine; the create may fail`);
  ctx.report.progress("Network", n.name, "Creating");
  const ipam = n.ipam
    ? { Driver: n.ipam.driver ?? "default", Config: (n.ipam.config ?? []).map((c) => ({ Subnet: c.subnet, Gateway: c.gateway, IPRange: c.ip_range, AuxiliaryAddresses: c.aux_addresses })), Options: n.ipam.options }
    : undefined;
  try {
    await ctx.client.networkCreate({
      Name: n.name,
      Driver: n.driver ?? "bridge",
      Options: n.driver_opts ?? {},
      IPAM: ipam,
      Internal: n.internal === true,
      Attachable: n.attachable === true,
      EnableIPv6: n.enable_ipv6 === true ? true : undefined,
      CheckDuplicate: true,
      Labels: { ...(n.labels ?? {}), [LABEL.project]: ctx.project.name, [LABEL.network]: key, [LABEL.version]: COMPOSE_VERSION },
    });
  } catch (err) {
    // a parallel `up` may have made it meanwhile
    if (!(err instanceof ApiError && err.statusCode === 409)) throw new ComposeError(`failed to create network ${n.name}: ${(err as Error).message}`);
  }
  ctx.report.progress("Network", n.name, "Created");
}

export async function ensureVolumes(ctx: ComposeContext, keys: string[]): Promise<void> {
  await Promise.all(keys.map((k) => ensureVolume(ctx, k, ctx.project.volumes[k])));
}

async function ensureVolume(ctx: ComposeContext, key: string, v: Volume): Promise<void> {
  const existing = await ctx.client.volumeInspect(v.name).catch((err) => notFound(err));
  if (v.external) {
    if (!existing) throw new ComposeError(`external volume "${v.name}" not found`);
    return;
  }
  if (existing) return;
  ctx.report.progress("Volume", v.name, "Creating");
  await ctx.client.volumeCreate({
    Name: v.name,
    Driver: v.driver ?? "local",
    DriverOpts: v.driver_opts ?? {},
    Labels: { ...(v.labels ?? {}), [LABEL.project]: ctx.project.name, [LABEL.volume]: key, [LABEL.version]: COMPOSE_VERSION },
  });
  ctx.report.progress("Volume", v.name, "Created");
}

/** Networks of the project that are not external: removed when they carry this project's label. */
export async function removeNetworks(ctx: ComposeContext): Promise<void> {
  const names = Object.values(ctx.project.networks).filter((n) => !n.external).map((n) => n.name);
  for (const name of names) {
    const info = await ctx.client.networkInspect(name).catch((err) => notFound(err));
    if (!info) continue;
    const labels = (info.Labels ?? {}) as Record<string, string>;
    if (labels[LABEL.project] !== ctx.project.name) continue;
    ctx.report.progress("Network", name, "Removing");
    await ctx.client.networkRemove(String(info.Id ?? name));
    ctx.report.progress("Network", name, "Removed");
  }
}

export async function removeVolumes(ctx: ComposeContext): Promise<void> {
  for (const v of Object.values(ctx.project.volumes)) {
    if (v.external) continue;
    const info = await ctx.client.volumeInspect(v.name).catch((err) => notFound(err));
    if (!info) continue;
    if (((info.Labels ?? {}) as Record<string, string>)[LABEL.project] !== ctx.project.name) continue;
    ctx.report.progress("Volume", v.name, "Removing");
    await ctx.client.volumeRemove(v.name);
    ctx.report.progress("Volume", v.name, "Removed");
  }
}

export function notFound(err: unknown): undefined {
  if (err instanceof ApiError && err.statusCode === 404) return undefined;
  throw err;
}
