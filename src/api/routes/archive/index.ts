import type { Route, RequestContext } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { ArchiveBackend } from "./backend.js";
import { versionLessThan } from "../../version.js";

const STAT_HEADER = "X-Docker-Container-Path-Stat";

function pathParam(ctx: RequestContext): string {
  const p = ctx.str("path");
  if (!p) throw new InvalidArgumentError("Path cannot be empty");
  return p;
}

/** `docker cp` (archive HEAD/GET/PUT), `docker export`, `docker diff`. */
export function archiveRoutes(b: ArchiveBackend): Route[] {
  return [
    {
      method: "HEAD",
      path: "/containers/{id}/archive",
      handler: async (ctx) => {
        const stat = await b.stat(ctx.params.id!, pathParam(ctx));
        ctx.res!.writeHead(200, { [STAT_HEADER]: stat, "Content-Type": "application/x-tar" });
        ctx.res!.end();
      },
    },
    {
      method: "GET",
      path: "/containers/{id}/archive",
      handler: async (ctx) => {
        await b.get(ctx.params.id!, pathParam(ctx), (stat) => {
          ctx.res!.writeHead(200, { [STAT_HEADER]: stat, "Content-Type": "application/x-tar" });
          return ctx.res!;
        });
      },
    },
    {
      method: "PUT",
      path: "/containers/{id}/archive",
      handler: async (ctx) => {
        await b.put(ctx.params.id!, pathParam(ctx), ctx.req, { noOverwriteDirNonDir: ctx.bool("noOverwriteDirNonDir"), copyUIDGID: ctx.bool("copyUIDGID") });
        ctx.sendStatus(200);
      },
    },
    {
      method: "GET",
      path: "/containers/{id}/export",
      handler: async (ctx) => {
        await b.export(ctx.params.id!, () => ctx.stream(200, "application/x-tar"));
      },
    },
    {
      // Removed in API 1.24 (404 with an empty body, as dockerd); older clients POST {"Resource": path}.
      method: "POST",
      path: "/containers/{id}/copy",
      handler: async (ctx) => {
        if (!versionLessThan(ctx.apiVersion, "1.24")) return void (ctx.req.resume(), ctx.sendStatus(404));
        const body = await ctx.json<{ Resource?: unknown } | null>({});
        const resource = typeof body?.Resource === "string" ? body.Resource : "";
        if (!resource) throw new InvalidArgumentError("Path cannot be empty");
        await b.get(ctx.params.id!, resource, () => {
          ctx.res!.writeHead(200, { "Content-Type": "application/x-tar" });
          return ctx.res!;
        });
      },
    },
    { method: "GET", path: "/containers/{id}/changes", handler: async (ctx) => ctx.sendJson(200, await b.changes(ctx.params.id!)) },
  ];
}
