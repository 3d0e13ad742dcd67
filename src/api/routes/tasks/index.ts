import type { Route } from "../../router.js";
import type { TasksBackend } from "./backend.js";

/** /tasks: list and inspect. */
export function taskRoutes(b: TasksBackend): Route[] {
  return [
    { method: "GET", path: "/tasks", handler: async (ctx) => ctx.sendJson(200, await b.list(ctx.filters())) },
    { method: "GET", path: "/tasks/{id}", handler: async (ctx) => ctx.sendJson(200, await b.inspect(ctx.params.id)) },
  ];
}
