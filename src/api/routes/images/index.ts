import type { Route } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { ImageBackend } from "./backend.js";
import { imageCreate } from "./create.js";
import { imagePull, imagePush } from "./pull.js";
import { imageGet, imageLoad } from "./save-load.js";
import { imageSearch } from "./search.js";
import { historyWire, imageInspectWire, imageSummaryWire } from "./wire.js";

/** Image routes (Engine API "Image" tag): decode, call the backend once, encode. */
export function imageRoutes(b: ImageBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/images/json",
      handler: async (ctx) => {
        const list = await b.list({ all: ctx.bool("all"), filters: ctx.filters() });
        ctx.sendJson(200, list.map((m) => imageSummaryWire(m, ctx.apiVersion)));
      },
    },
    { method: "GET", path: "/images/search", handler: (ctx) => imageSearch(b, ctx) },
    { method: "GET", path: "/images/get", handler: (ctx) => imageGet(b, ctx, ctx.query.getAll("names").filter(Boolean)) },
    { method: "POST", path: "/images/load", handler: (ctx) => imageLoad(b, ctx) },
    { method: "GET", path: "/images/{name:.*}/get", handler: (ctx) => imageGet(b, ctx, [ctx.params.name]) },
    { method: "POST", path: "/images/create", handler: (ctx) => (ctx.str("fromImage") ? imagePull(b, ctx) : imageCreate(b, ctx)) },
    { method: "POST", path: "/images/{name:.*}/push", handler: (ctx) => imagePush(b, ctx) },
    { method: "POST", path: "/images/prune", handler: async (ctx) => ctx.sendJson(200, await b.prune({ filters: ctx.filters() })) },
    {
      method: "GET",
      path: "/images/{name:.*}/json",
      handler: async (ctx) => ctx.sendJson(200, imageInspectWire(await b.inspect(ctx.params.name), ctx.apiVersion)),
    },
    {
      method: "GET",
      path: "/images/{name:.*}/history",
      handler: async (ctx) => ctx.sendJson(200, historyWire(await b.history(ctx.params.name))),
    },
    {
      method: "POST",
      path: "/images/{name:.*}/tag",
      handler: async (ctx) => {
        const repo = ctx.str("repo");
        if (!repo) throw new InvalidArgumentError("repository name must have at least one component");
        await b.tag(ctx.params.name, repo, ctx.str("tag") || undefined);
        ctx.sendStatus(201);
      },
    },
    {
      method: "DELETE",
      path: "/images/{name:.*}",
      handler: async (ctx) => ctx.sendJson(200, await b.remove(ctx.params.name, { force: ctx.bool("force"), noprune: ctx.bool("noprune") })),
    },
  ];
}
