import type { Route } from "../../router.js";
import { NotFoundError, NotImplementedError } from "../../../lib/errors.js";

// Until the networking issue lands, the daemon has Docker's three predefined
// networks and nothing else; the listing lets compose and docker-py probe them.
const PREDEFINED = ["bridge", "host", "none"].map((name) => ({
  Name: name,
  Id: name.padEnd(64, "0").replace(/[^0-9a-f]/g, "0"),
  Created: "0001-01-01T00:00:00Z",
  Scope: "local",
  Driver: name === "none" ? "null" : name,
  EnableIPv4: name === "bridge",
  EnableIPv6: false,
  IPAM: { Driver: "default", Options: null, Config: [] },
  Internal: false,
  Attachable: false,
  Ingress: false,
  ConfigFrom: { Network: "" },
  ConfigOnly: false,
  Containers: {},
  Options: {},
  Labels: {},
}));

export function networkRoutes(): Route[] {
  return [
    { method: "GET", path: "/networks", handler: (ctx) => ctx.sendJson(200, PREDEFINED) },
    {
      method: "GET",
      path: "/networks/{id}",
      handler: (ctx) => {
        const n = PREDEFINED.find((p) => p.Name === ctx.params.id || p.Id.startsWith(ctx.params.id));
        if (!n) throw new NotFoundError(`network ${ctx.params.id} not found`);
        ctx.sendJson(200, n);
      },
    },
    {
      method: "POST",
      path: "/networks/create",
      handler: () => {
        throw new NotImplementedError("user-defined networks are not supported yet; use --network none or host");
      },
    },
    { method: "GET", path: "/volumes", handler: (ctx) => ctx.sendJson(200, { Volumes: [], Warnings: [] }) },
  ];
}
