import type { Route, RequestContext } from "../../router.js";
import { UnavailableError } from "../../../lib/errors.js";

const NOT_SWARM =
  "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

function notSwarm(): never {
  throw new UnavailableError(NOT_SWARM);
}

/**
 * Endpoints of features not built yet answer as Docker does with the feature
 * off, never a bare 404: clients (compose, docker-py, test suites) probe them.
 */
export function stubRoutes(): Route[] {
  const routes: Route[] = [
    { method: "GET", path: "/plugins", handler: (ctx: RequestContext) => ctx.sendJson(200, []) },
  ];
  // /swarm and /nodes are served by the cluster routes (503 while the node is in no swarm).
  for (const noun of ["secrets", "configs"]) {
    routes.push({ method: "GET", path: `/${noun}`, handler: notSwarm });
    routes.push({ method: "GET", path: `/${noun}/{id}`, handler: notSwarm });
    routes.push({ method: "POST", path: `/${noun}/create`, handler: notSwarm });
    routes.push({ method: "DELETE", path: `/${noun}/{id}`, handler: notSwarm });
    routes.push({ method: "POST", path: `/${noun}/{id}/update`, handler: notSwarm });
  }
  routes.push({ method: "POST", path: "/swarm/unlock", handler: notSwarm });
  return routes;
}
