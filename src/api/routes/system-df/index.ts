import type { Route } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { SystemDfBackend } from "./backend.js";

const TYPES = ["container", "image", "volume", "build-cache"];

/** `docker system df`. */
export function systemDfRoutes(b: SystemDfBackend): Route[] {
  return [
    {
      method: "GET",
      path: "/system/df",
      handler: async (ctx) => {
        const types = ctx.query.getAll("type");
        for (const t of types) if (!TYPES.includes(t)) throw new InvalidArgumentError(`unknown object type: ${t}`);
        ctx.sendJson(200, await b.df(types.length ? types : TYPES));
      },
    },
  ];
}
