import type { Route } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { SwarmBackend } from "./backend.js";

function object(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidArgumentError("invalid JSON: expected an object");
  return body as Record<string, unknown>;
}

/** /swarm: init, join, leave, inspect, update. */
export function swarmRoutes(b: SwarmBackend): Route[] {
  return [
    { method: "GET", path: "/swarm", handler: async (ctx) => ctx.sendJson(200, await b.inspect()) },
    { method: "POST", path: "/swarm/init", handler: async (ctx) => ctx.sendJson(200, await b.init(object(await ctx.json({})))) },
    {
      method: "POST",
      path: "/swarm/join",
      handler: async (ctx) => {
        await b.join(object(await ctx.json({})));
        ctx.sendStatus(200);
      },
    },
    {
      method: "POST",
      path: "/swarm/leave",
      handler: async (ctx) => {
        await b.leave(ctx.bool("force"));
        ctx.sendStatus(200);
      },
    },
    {
      method: "POST",
      path: "/swarm/update",
      handler: async (ctx) => {
        const spec = object(await ctx.json({}));
        await b.update(ctx.int("version"), spec, { rotateWorkerToken: ctx.bool("rotateWorkerToken"), rotateManagerToken: ctx.bool("rotateManagerToken") });
        ctx.sendStatus(200);
      },
    },
    { method: "GET", path: "/swarm/unlockkey", handler: async (ctx) => ctx.sendJson(200, await b.unlockKey()) },
  ];
}
