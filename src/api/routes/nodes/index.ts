import type { Route } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { NodesBackend } from "./backend.js";

/** /nodes: list, inspect, update, remove. */
export function nodeRoutes(b: NodesBackend): Route[] {
  return [
    { method: "GET", path: "/nodes", handler: async (ctx) => ctx.sendJson(200, await b.list(ctx.filters())) },
    { method: "GET", path: "/nodes/{id}", handler: async (ctx) => ctx.sendJson(200, await b.inspect(ctx.params.id)) },
    {
      method: "POST",
      path: "/nodes/{id}/update",
      handler: async (ctx) => {
        const spec = await ctx.json<Record<string, unknown>>({});
        if (!spec || typeof spec !== "object" || Array.isArray(spec)) throw new InvalidArgumentError("invalid node spec: expected a JSON object");
        await b.update(ctx.params.id, ctx.int("version"), spec);
        ctx.sendStatus(200);
      },
    },
    {
      method: "DELETE",
      path: "/nodes/{id}",
      handler: async (ctx) => {
        await b.remove(ctx.params.id, ctx.bool("force"));
        ctx.sendStatus(200);
      },
    },
  ];
}
