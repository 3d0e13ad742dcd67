import type { Route, RequestContext } from "../../router.js";
import { ConflictError, InvalidArgumentError, NotFoundError } from "../../../lib/errors.js";
import type { ContainersBackend } from "./backend.js";
import type { ContainerCreateBody } from "../../types/engine-api.js";
import { streamMediaType } from "../../media-types.js";
import { versionLessThan } from "../../version.js";
import { adaptCreateBody } from "./create-compat.js";
import { inspectForVersion, killForVersion } from "./legacy-compat.js";
import { parsePlatformSpec } from "../../../image/platform-spec.js";
import { hostArchitecture } from "../../../image/image-config.js";

/** Resolves when the client goes away; `dispose` removes the listener (keep-alive sockets serve many requests). */
function clientGone(ctx: RequestContext): { closed: Promise<void>; dispose: () => void } {
  const sock = ctx.upgradeSocket ?? ctx.req.socket;
  let dispose = () => {};
  const closed = new Promise<void>((resolve) => {
    if (sock.destroyed) return resolve();
    const onClose = () => resolve();
    sock.once("close", onClose);
    dispose = () => sock.off("close", onClose);
  });
  return { closed, dispose };
}

function stopOpts(ctx: RequestContext) {
  const t = ctx.str("t") ?? ctx.str("timeout");
  const timeout = t === undefined || t === "" ? undefined : Number(t);
  if (timeout !== undefined && !Number.isFinite(timeout)) throw new InvalidArgumentError(`invalid value for t: ${t}`);
  return { signal: ctx.str("signal") || undefined, timeout };
}

/**
 * Start took a HostConfig body below API 1.24 (read and checked, then ignored:
 * the create-time HostConfig wins); from 1.24 a body is refused, as dockerd does
 * for anything longer than an empty object.
 */
async function startBody(ctx: RequestContext): Promise<void> {
  const len = ctx.req.headers["content-length"];
  const chunked = len === undefined && ctx.req.headers["transfer-encoding"] !== undefined;
  if (!(Number(len) > 7 || chunked)) return void ctx.req.resume();
  if (!versionLessThan(ctx.apiVersion, "1.24")) {
    ctx.req.resume();
    throw new InvalidArgumentError("starting container with non-empty request body was deprecated since API v1.22 and removed in v1.24");
  }
  await ctx.json<unknown>({});
}

/** Container routes: decode the request, call one backend method, encode the answer. */
export function containerRoutes(b: ContainersBackend): Route[] {
  return [
    { method: "GET", path: "/containers/json", handler: async (ctx) => ctx.sendJson(200, await b.list({ all: ctx.bool("all"), limit: ctx.int("limit"), size: ctx.bool("size"), filters: ctx.filters() })) },
    {
      method: "POST",
      path: "/containers/create",
      // Below API 1.42 dockerd ignores ConsoleSize (adaptCreateBody drops it, with the other version rules).
      handler: async (ctx) => {
        const body = adaptCreateBody(ctx.apiVersion, await ctx.body<ContainerCreateBody>("ContainerCreate"));
        const p = versionLessThan(ctx.apiVersion, "1.41") ? "" : ctx.str("platform") ?? "";
        ctx.sendJson(201, await b.create(body, ctx.str("name"), p ? parsePlatformSpec(p, { os: "linux", architecture: hostArchitecture() }) : undefined));
      },
    },
    { method: "POST", path: "/containers/prune", handler: async (ctx) => ctx.sendJson(200, await b.prune(ctx.filters())) },
    { method: "GET", path: "/containers/{id}/json", handler: async (ctx) => ctx.sendJson(200, inspectForVersion(await b.inspect(ctx.params.id, ctx.bool("size")), ctx.apiVersion)) },
    { method: "POST", path: "/containers/{id}/start", handler: async (ctx) => (await startBody(ctx), await b.start(ctx.params.id), ctx.sendStatus(204)) },
    { method: "POST", path: "/containers/{id}/stop", handler: async (ctx) => (await b.stop(ctx.params.id, stopOpts(ctx)), ctx.sendStatus(204)) },
    { method: "POST", path: "/containers/{id}/restart", handler: async (ctx) => (await b.restart(ctx.params.id, stopOpts(ctx)), ctx.sendStatus(204)) },
    { method: "POST", path: "/containers/{id}/kill", handler: async (ctx) => (await killForVersion(() => b.kill(ctx.params.id, ctx.str("signal") || undefined), ctx.apiVersion), ctx.sendStatus(204)) },
    {
      method: "POST",
      path: "/containers/{id}/rename",
      handler: async (ctx) => (await b.rename(ctx.params.id, ctx.str("name") ?? ""), ctx.sendStatus(204)),
    },
    {
      // A legacy link's name, /<parent>/<alias>: only `link=1` removes it (docker rm --link).
      method: "DELETE",
      path: "/containers/{parent}/{alias}",
      handler: async (ctx) => {
        if (!ctx.bool("link")) throw new NotFoundError(`No such container: ${ctx.params.parent}/${ctx.params.alias}`);
        await b.removeLink(ctx.params.parent, ctx.params.alias);
        ctx.sendStatus(204);
      },
    },
    {
      method: "DELETE",
      path: "/containers/{id}",
      handler: async (ctx) => {
        if (ctx.bool("link")) throw new ConflictError("Conflict, cannot remove the default link name of the container");
        await b.remove(ctx.params.id, { force: ctx.bool("force"), volumes: ctx.bool("v") });
        ctx.sendStatus(204);
      },
    },
    { method: "POST", path: "/containers/{id}/pause", handler: async (ctx) => (await b.pause(ctx.params.id), ctx.sendStatus(204)) },
    { method: "POST", path: "/containers/{id}/unpause", handler: async (ctx) => (await b.unpause(ctx.params.id), ctx.sendStatus(204)) },
    { method: "GET", path: "/containers/{id}/top", handler: async (ctx) => ctx.sendJson(200, await b.top(ctx.params.id, ctx.str("ps_args") ?? "")) },
    {
      method: "POST",
      path: "/containers/{id}/resize",
      handler: (ctx) => {
        const h = ctx.int("h");
        const w = ctx.int("w");
        if (h === undefined || w === undefined || h < 0 || w < 0) throw new InvalidArgumentError("invalid resize: h and w must be non-negative integers");
        b.resize(ctx.params.id, h, w);
        ctx.sendStatus(200);
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/wait",
      handler: async (ctx) => {
        const condition = (ctx.str("condition") || "not-running") as "not-running" | "next-exit" | "removed";
        if (!["not-running", "next-exit", "removed"].includes(condition)) throw new InvalidArgumentError(`invalid condition: "${condition}"`);
        let res: ReturnType<typeof ctx.stream> | undefined;
        const gone = clientGone(ctx);
        try {
          const result = await b.wait(ctx.params.id, condition, () => (res = ctx.stream(200, "application/json")), gone.closed);
          res?.end(JSON.stringify(result) + "\n");
        } finally {
          gone.dispose();
        }
      },
    },
    {
      method: "POST",
      path: "/containers/{id}/attach",
      handler: async (ctx) => {
        const id = ctx.params.id;
        const tty = b.isTty(id); // throws 404 before we hijack
        const socket = ctx.hijack(streamMediaType(ctx.apiVersion, !tty));
        await b.attach(id, socket, {
          stdin: ctx.bool("stdin"), stdout: ctx.bool("stdout"), stderr: ctx.bool("stderr"), logs: ctx.bool("logs"), stream: ctx.bool("stream"),
          detachKeys: ctx.str("detachKeys") || undefined,
        });
      },
    },
    {
      method: "GET",
      path: "/containers/{id}/attach/ws",
      handler: async (ctx) => {
        const id = ctx.params.id;
        b.isTty(id); // 404 before the upgrade
        if (!ctx.upgradeSocket) throw new InvalidArgumentError("this endpoint needs a websocket upgrade");
        const { acceptWebSocket } = await import("../../websocket.js");
        const stream = await acceptWebSocket(ctx.req, ctx.upgradeSocket, ctx.upgradeHead ?? Buffer.alloc(0));
        await b.attach(id, stream, {
          stdin: ctx.bool("stdin"), stdout: ctx.bool("stdout"), stderr: ctx.bool("stderr"), logs: ctx.bool("logs"), stream: ctx.bool("stream"),
          detachKeys: ctx.str("detachKeys") || undefined, raw: true,
        });
      },
    },
    {
      method: "GET",
      path: "/containers/{id}/logs",
      handler: async (ctx) => {
        const id = ctx.params.id;
        const tty = b.isTty(id);
        const q = {
          stdout: ctx.bool("stdout"), stderr: ctx.bool("stderr"), follow: ctx.bool("follow"), timestamps: ctx.bool("timestamps"),
          tail: ctx.str("tail"), since: ctx.str("since"), until: ctx.str("until"),
        };
        const run = await b.logs(id, q);
        const res = ctx.stream(200, streamMediaType(ctx.apiVersion, !tty));
        const gone = clientGone(ctx);
        try {
          await run(res, gone.closed);
        } finally {
          gone.dispose();
          res.end();
        }
      },
    },
  ];
}
