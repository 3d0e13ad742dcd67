import { ComposeError } from "../errors.js";
import type { ComposeContext } from "./context.js";
import { startContainer } from "./converge.js";
import { walkServices } from "./graph.js";
import { isRunning, projectContainers, type ProjectContainer } from "./observed.js";
import { selectServices } from "./up.js";
import { waitForCondition } from "./wait.js";

/**
 * start, stop, restart, kill, pause, unpause and rm over the project's
 * existing containers: start follows dependency order (waiting for
 * depends_on conditions), stop the reverse, the others run in parallel.
 */
export async function startServices(ctx: ComposeContext, services: string[] | undefined, timeoutMs: number): Promise<void> {
  const targets = selectServices(ctx, services, true);
  const containers = await projectContainers(ctx, { oneoff: false, services: Object.keys(targets) });
  if (containers.length === 0) throw new ComposeError("service(s) have no container to start: run `up` (or `create`) first");
  await walkServices(targets, async (s) => {
    for (const [dep, d] of Object.entries(s.depends_on ?? {})) if (targets[dep]) await waitForCondition(ctx, dep, d.condition, timeoutMs);
    await Promise.all(containers.filter((c) => c.service === s.name && !isRunning(c)).map((c) => startContainer(ctx, c.Id, c.name)));
  });
}

export async function stopServices(ctx: ComposeContext, services: string[] | undefined, timeout?: number): Promise<void> {
  const targets = selectServices(ctx, services, true);
  const containers = await projectContainers(ctx, { oneoff: false, services: Object.keys(targets) });
  await walkServices(targets, async (s) => {
    await Promise.all(
      containers.filter((c) => c.service === s.name && isRunning(c)).map(async (c) => {
        ctx.report.progress("Container", c.name, "Stopping");
        await ctx.client.containerStop(c.Id, { timeout });
        ctx.report.progress("Container", c.name, "Stopped");
      }),
    );
  }, true);
}

type Verb = "restart" | "kill" | "pause" | "unpause";
const DONE: Record<Verb, [string, string]> = { restart: ["Restarting", "Started"], kill: ["Killing", "Killed"], pause: ["Pausing", "Paused"], unpause: ["Unpausing", "Unpaused"] };

export async function eachContainer(ctx: ComposeContext, verb: Verb, services: string[] | undefined, o: { timeout?: number; signal?: string } = {}): Promise<void> {
  const wanted = services?.length ? Object.keys(selectServices(ctx, services, true)) : undefined;
  const containers = (await projectContainers(ctx, { oneoff: false, services: wanted })).filter((c) => verb === "restart" || (verb === "unpause" ? c.State === "paused" : isRunning(c)));
  await Promise.all(
    containers.map(async (c) => {
      ctx.report.progress("Container", c.name, DONE[verb][0]);
      if (verb === "restart") await ctx.client.containerRestart(c.Id, { timeout: o.timeout });
      else if (verb === "kill") await ctx.client.containerKill(c.Id, o.signal);
      else if (verb === "pause") await ctx.client.containerPause(c.Id);
      else await ctx.client.containerUnpause(c.Id);
      ctx.report.progress("Container", c.name, DONE[verb][1]);
    }),
  );
}

/** `rm`: stopped containers of the services (with `stop`, running ones too). */
export async function removeStopped(ctx: ComposeContext, services: string[] | undefined, o: { stop?: boolean; volumes?: boolean }): Promise<ProjectContainer[]> {
  const wanted = services?.length ? Object.keys(selectServices(ctx, services, true)) : undefined;
  let containers = await projectContainers(ctx, { oneoff: false, services: wanted });
  if (o.stop) {
    await Promise.all(containers.filter(isRunning).map((c) => ctx.client.containerStop(c.Id)));
    containers = await projectContainers(ctx, { oneoff: false, services: wanted });
  }
  const stopped = containers.filter((c) => !isRunning(c));
  await Promise.all(
    stopped.map(async (c) => {
      ctx.report.progress("Container", c.name, "Removing");
      await ctx.client.containerRemove(c.Id, { volumes: o.volumes });
      ctx.report.progress("Container", c.name, "Removed");
    }),
  );
  return stopped;
}
