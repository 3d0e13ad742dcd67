import type { Route } from "../../router.js";
import { decodeRegistryAuth } from "../../../daemon/images/registry-auth.js";
import type { DistributionBackend } from "./backend.js";

/** `GET /distribution/{name}/json` (DistributionInspect). */
export function distributionRoutes(b: DistributionBackend): Route[] {
  return [{
    method: "GET",
    path: "/distribution/{name:.*}/json",
    handler: async (ctx) => ctx.sendJson(200, await b.distributionInspect(ctx.params.name, decodeRegistryAuth(ctx.req.headers["x-registry-auth"]))),
  }];
}
