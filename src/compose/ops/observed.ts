import type { ContainerSummary } from "../../client/types.js";
import type { Project, Service } from "../model.js";
import { LABEL, projectFilter } from "../planner/labels.js";
import type { ComposeContext } from "./context.js";

/**
 * What exists for a project on the engine, found by compose's labels
 * (never by name), so containers made by docker compose and by wharf
 * compose are recognised alike.
 */
export interface ProjectContainer extends ContainerSummary {
  service: string;
  number: number;
  oneoff: boolean;
  /** Name without the leading slash. */
  name: string;
}

export async function projectContainers(ctx: ComposeContext, o: { all?: boolean; oneoff?: boolean; services?: string[] } = {}): Promise<ProjectContainer[]> {
  const extra = o.oneoff === undefined ? [] : [`${LABEL.oneoff}=${o.oneoff ? "True" : "False"}`];
  const list = await ctx.client.containerList({ all: o.all ?? true, filters: projectFilter(ctx.project.name, extra) });
  const out = list.map((c) => {
    const labels = c.Labels ?? {};
    return { ...c, service: labels[LABEL.service] ?? "", number: Number(labels[LABEL.number] ?? 0), oneoff: labels[LABEL.oneoff] === "True", name: (c.Names?.[0] ?? "").replace(/^\//, "") };
  });
  const wanted = o.services?.length ? new Set(o.services) : undefined;
  return out.filter((c) => !wanted || wanted.has(c.service)).sort((a, b) => a.service.localeCompare(b.service) || a.number - b.number);
}

export function containerName(p: Project, s: Service, n: number): string {
  return s.container_name ?? `${p.name}-${s.name}-${n}`;
}

/** The image a service runs: `image:`, or `<project>-<service>` for a build without one. */
export function imageName(p: Project, s: Service): string {
  return s.image ?? `${p.name}-${s.name}`;
}

export function isRunning(c: ContainerSummary): boolean {
  return c.State === "running" || c.State === "restarting" || c.State === "paused";
}
