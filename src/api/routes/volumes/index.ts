import type { Route } from "../../router.js";
import type { VolumesBackend } from "./backend.js";
import type { VolumeCreateOptions } from "../../types/engine-api.js";

/** Volume routes (VolumeCreate, VolumeList, VolumeInspect, VolumeDelete, VolumePrune). */
export function volumeRoutes(b: VolumesBackend): Route[] {
  return [
    { method: "GET", path: "/volumes", handler: (ctx) => ctx.sendJson(200, b.list(ctx.filters())) },
    {
      method: "POST",
      path: "/volumes/create",
      handler: async (ctx) => {
        const body = await ctx.body<VolumeCreateOptions>("VolumeCreate", {});
        ctx.sendJson(201, await b.create(body as never));
      },
    },
    { method: "POST", path: "/volumes/prune", handler: async (ctx) => ctx.sendJson(200, await b.prune(ctx.filters(), ctx.apiVersion)) },
    { method: "GET", path: "/volumes/{name}", handler: (ctx) => ctx.sendJson(200, b.inspect(ctx.params.name!)) },
    { method: "DELETE", path: "/volumes/{name}", handler: async (ctx) => (await b.remove(ctx.params.name!, ctx.bool("force")), ctx.sendStatus(204)) },
  ];
}
