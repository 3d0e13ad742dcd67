import { ComposeError } from "../errors.js";
import type { DependsOn } from "../model.js";
import type { ComposeContext } from "./context.js";
import { projectContainers } from "./observed.js";

/**
 * depends_on conditions: wait until every container of `service` is
 * started, healthy, or has exited 0. Fails fast (unhealthy, exited,
 * no healthcheck) with a message naming the container, and after
 * `timeoutMs` naming the service.
 */
export async function waitForCondition(ctx: ComposeContext, service: string, condition: DependsOn["condition"], timeoutMs: number): Promise<void> {
  if (condition === "service_started") return;
  const containers = await projectContainers(ctx, { services: [service], oneoff: false });
  await Promise.all(containers.map((c) => waitOne(ctx, c.Id, c.name, service, condition, timeoutMs)));
}

interface InspectState {
  Status?: string;
  ExitCode?: number;
  Health?: { Status?: string };
}

async function waitOne(ctx: ComposeContext, id: string, name: string, service: string, condition: DependsOn["condition"], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  ctx.report.progress("Container", name, "Waiting");
  for (let delay = 50; ; delay = Math.min(delay * 2, 100)) {
    const info = await ctx.client.containerInspect(id);
    const st = (info.State ?? {}) as InspectState;
    if (condition === "service_healthy") {
      const health = st.Health?.Status;
      if (!st.Health && !(info.Config as { Healthcheck?: unknown })?.Healthcheck) throw new ComposeError(`dependency failed to start: container ${name} has no healthcheck configured`);
      if (health === "healthy") {
        ctx.report.progress("Container", name, "Healthy");
        return;
      }
      if (health === "unhealthy") throw new ComposeError(`dependency failed to start: container ${name} is unhealthy`);
      if (st.Status === "exited" || st.Status === "dead") throw new ComposeError(`dependency failed to start: container ${name} exited (${st.ExitCode ?? "?"})`);
    } else if (st.Status === "exited" || st.Status === "dead") {
      if (st.ExitCode === 0) {
        ctx.report.progress("Container", name, "Exited");
        return;
      }
      throw new ComposeError(`service "${service}" didn't complete successfully: exit ${st.ExitCode}`);
    }
    if (Date.now() > deadline) {
      const what = condition === "service_healthy" ? "healthy" : "completed";
      throw new ComposeError(`dependency failed to start: service "${service}" (container ${name}) was not ${what} after ${Math.round(timeoutMs / 1000)}s`);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** `up --wait`: every container running, and healthy when it has a healthcheck. */
export async function waitRunningOrHealthy(ctx: ComposeContext, services: string[], timeoutMs: number): Promise<void> {
  const containers = await projectContainers(ctx, { services, oneoff: false });
  await Promise.all(
    containers.map(async (c) => {
      const deadline = Date.now() + timeoutMs;
      for (let delay = 50; ; delay = Math.min(delay * 2, 100)) {
        const info = await ctx.client.containerInspect(c.Id);
        const st = (info.State ?? {}) as InspectState;
        if (st.Status === "exited" || st.Status === "dead") {
          if (st.ExitCode === 0 && !st.Health) return; // a one-shot job that completed
          throw new ComposeError(`container ${c.name} exited (${st.ExitCode})`);
        }
        if (st.Health?.Status === "unhealthy") throw new ComposeError(`container ${c.name} is unhealthy`);
        if (st.Status === "running" && (!st.Health || st.Health.Status === "healthy")) {
          ctx.report.progress("Container", c.name, st.Health ? "Healthy" : "Running");
          return;
        }
        if (Date.now() > deadline) throw new ComposeError(`timeout waiting for container ${c.name} of service "${c.service}" to be running${st.Health ? " and healthy" : ""}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }),
  );
}
