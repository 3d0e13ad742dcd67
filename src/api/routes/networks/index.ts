import type { Route } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { NetworksBackend } from "./backend.js";
import type { NetworkConnectBody, NetworkCreateBody, NetworkDisconnectBody } from "../../types/engine-api.js";
import { versionLessThan } from "../../version.js";

/** /networks: thin handlers over the networking backend. */
export function networkRoutes(b: NetworksBackend): Route[] {
  return [
    { method: "GET", path: "/networks", handler: (ctx) => ctx.sendJson(200, b.list(ctx.filters())) },
    { method: "GET", path: "/networks/{id}", handler: (ctx) => ctx.sendJson(200, b.inspect(ctx.params.id)) },
    {
      method: "POST",
      path: "/networks/create",
      handler: async (ctx) => {
        const body = await ctx.body<NetworkCreateBody>("NetworkCreate", { Name: "" });
        // Before API 1.44 a second network of the same name was created (with a warning) unless CheckDuplicate; since, never.
        const allowDuplicate = versionLessThan(ctx.apiVersion, "1.44") && !(body as { CheckDuplicate?: boolean }).CheckDuplicate;
        ctx.sendJson(201, await b.create(body, { allowDuplicate }));
      },
    },
    {
      method: "DELETE",
      path: "/networks/{id}",
      handler: async (ctx) => {
        await b.remove(ctx.params.id);
        ctx.sendStatus(204);
      },
    },
    { method: "POST", path: "/networks/prune", handler: async (ctx) => ctx.sendJson(200, await b.prune(ctx.filters())) },
    {
      method: "POST",
      path: "/networks/{id}/connect",
      handler: async (ctx) => {
        const body = await ctx.body<NetworkConnectBody>("NetworkConnect", {});
        if (!body.Container) throw new InvalidArgumentError("container is required");
        await b.connect(ctx.params.id, body.Container, body.EndpointConfig ?? {});
        ctx.sendStatus(200);
      },
    },
    {
      method: "POST",
      path: "/networks/{id}/disconnect",
      handler: async (ctx) => {
        const body = await ctx.body<NetworkDisconnectBody>("NetworkDisconnect", {});
        if (!body.Container) throw new InvalidArgumentError("container is required");
        await b.disconnect(ctx.params.id, body.Container, !!body.Force);
        ctx.sendStatus(200);
      },
    },
  ];
}
