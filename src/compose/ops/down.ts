import type { Service } from "../model.js";
import type { ComposeContext } from "./context.js";
import { removeContainer } from "./converge.js";
import { walkServices } from "./graph.js";
import { imageName, projectContainers } from "./observed.js";
import { removeNetworks, removeVolumes } from "./resources.js";

/**
 * `down`: stop and remove the project's containers (dependents first),
 * then its networks; with `volumes` its named and anonymous volumes, with
 * `rmi` its images. Orphans (containers of services no longer in the
 * files) go only with `removeOrphans`.
 */
export interface DownOptions {
  volumes?: boolean;
  rmi?: "local" | "all";
  removeOrphans?: boolean;
  timeout?: number;
}

export async function down(ctx: ComposeContext, o: DownOptions): Promise<void> {
  const all: Record<string, Service> = { ...ctx.project.services, ...ctx.project.disabledServices };
  const containers = await projectContainers(ctx, {});
  const byService = (n: string) => containers.filter((c) => c.service === n);
  await walkServices(all, async (s) => void (await Promise.all(byService(s.name).map((c) => removeContainer(ctx, c, o.timeout, o.volumes)))), true);
  const leftovers = containers.filter((c) => !all[c.service]);
  if (leftovers.length && o.removeOrphans) await Promise.all(leftovers.map((c) => removeContainer(ctx, c, o.timeout, o.volumes)));
  else if (leftovers.some((c) => !c.oneoff)) ctx.report.warn(`Found orphan containers (${leftovers.map((c) => c.name).join(", ")}) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
  await removeNetworks(ctx);
  if (o.volumes) await removeVolumes(ctx);
  if (o.rmi) await removeImages(ctx, Object.values(all), o.rmi);
}

async function removeImages(ctx: ComposeContext, services: Service[], mode: "local" | "all"): Promise<void> {
  const refs = new Set<string>();
  for (const s of services) {
    // "local": only images compose named itself (a build without `image:`)
    if (mode === "all" || (s.build && !s.image)) refs.add(imageName(ctx.project, s));
  }
  for (const ref of refs) {
    ctx.report.progress("Image", ref, "Removing");
    try {
      await ctx.client.imageRemove(ref);
      ctx.report.progress("Image", ref, "Removed");
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) continue;
      ctx.report.warn(`image ${ref}: ${(err as Error).message}`);
    }
  }
}
