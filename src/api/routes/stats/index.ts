import type { Route, RequestContext } from "../../router.js";
import type { StatsBackend } from "./backend.js";
import type { ContainerUpdateBody } from "../../types/engine-api.js";
import { versionLessThan } from "../../version.js";

function closedPromise(ctx: RequestContext): Promise<void> {
  const sock = ctx.req.socket;
  return new Promise((resolve) => {
    if (sock.destroyed) return resolve();
    sock.once("close", () => resolve());
  });
}

/** `docker stats` and `docker update`. */
export function statsRoutes(b: StatsBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/containers/{id}/stats",
      handler: async (ctx) => {
        b.check(ctx.params.id!);
        const res = ctx.stream(200, "application/json");
        await b.stats(ctx.params.id!, { stream: ctx.bool("stream", true), oneShot: ctx.bool("one-shot") }, res, closedPromise(ctx));
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/update",
      handler: async (ctx) => {
        const body = await ctx.body<ContainerUpdateBody>("ContainerUpdate", {});
        // PidsLimit came with API 1.40; KernelMemory went with 1.42.
        if (versionLessThan(ctx.apiVersion, "1.40")) delete body.PidsLimit;
        if (!versionLessThan(ctx.apiVersion, "1.42")) delete (body as Record<string, unknown>).KernelMemory;
        ctx.sendJson(200, await b.update(ctx.params.id!, body));
      },
    },
  ];
}
