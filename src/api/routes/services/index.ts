import type { Route } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { ServicesBackend } from "./backend.js";

function spec(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidArgumentError("invalid service spec: expected a JSON object");
  return body as Record<string, unknown>;
}

/** /services: list, create, inspect, update (and rollback), delete. */
export function serviceRoutes(b: ServicesBackend): Route[] {
  return [
    { method: "GET", path: "/services", handler: async (ctx) => ctx.sendJson(200, await b.list(ctx.filters(), ctx.bool("status"))) },
    { method: "POST", path: "/services/create", handler: async (ctx) => ctx.sendJson(201, await b.create(spec(await ctx.json()))) },
    { method: "GET", path: "/services/{id}", handler: async (ctx) => ctx.sendJson(200, await b.inspect(ctx.params.id)) },
    {
      method: "POST",
      path: "/services/{id}/update",
      handler: async (ctx) => {
        const rollback = ctx.str("rollback");
        if (rollback && rollback !== "previous") throw new InvalidArgumentError(`invalid rollback value ${rollback}: only "previous" is supported`);
        ctx.sendJson(200, await b.update(ctx.params.id, ctx.int("version"), spec(await ctx.json()), rollback === "previous"));
      },
    },
    {
      method: "DELETE",
      path: "/services/{id}",
      handler: async (ctx) => {
        await b.remove(ctx.params.id);
        ctx.sendStatus(200);
      },
    },
  ];
}
