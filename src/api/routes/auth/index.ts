import type { Route } from "../../router.js";
import type { AuthConfig } from "../../../registry/client/auth.js";
import type { AuthBackend } from "./backend.js";

/** `POST /auth` (SystemAuth): validate registry credentials. */
export function authRoutes(b: AuthBackend): Route[] {
  return [{ method: "POST", path: "/auth", handler: async (ctx) => ctx.sendJson(200, await b.login(await ctx.body<AuthConfig>("SystemAuth", {}))) }];
}
