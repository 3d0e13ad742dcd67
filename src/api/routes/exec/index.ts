import { stdcopyFrame } from "../../../lib/stdcopy.js";
import type { Route } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { ExecBackend } from "./backend.js";
import type { ContainerExecBody, ExecStartBody } from "../../types/engine-api.js";

function dims(h: number | undefined, w: number | undefined): [number, number] {
  if (h === undefined || w === undefined || h < 0 || w < 0) throw new InvalidArgumentError("invalid resize: h and w must be non-negative integers");
  return [h, w];
}

/** Exec routes: create, start (hijacked or detached), resize, inspect. */
export function execRoutes(b: ExecBackend): Route[] {
  return [
    { method: "POST", path: "/containers/{id}/exec", handler: async (ctx) => ctx.sendJson(201, await b.create(ctx.params.id, await ctx.body<ContainerExecBody>("ContainerExec", {}))) },
    {
      method: "POST",
      path: "/exec/{id}/start",
      handler: async (ctx) => {
        const body = await ctx.body<ExecStartBody>("ExecStart", {});
        b.check(ctx.params.id);
        if (body.Detach) {
          await b.start(ctx.params.id, { detach: true, tty: body.Tty });
          return ctx.sendStatus(200);
        }
        // The stream type is decided by the exec's Tty; raw-stream covers both for the docker CLI.
        const socket = ctx.hijack(body.Tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream");
        try {
          await b.start(ctx.params.id, { detach: false, tty: body.Tty, socket });
        } catch (err) {
          // Headers are gone: report on the stream like dockerd, then close.
          const msg = Buffer.from(`${(err as Error).message}\r\n`);
          socket.end(body.Tty ? msg : stdcopyFrame(2, msg));
        }
      },
    },
    {
      method: "POST",
      path: "/exec/{id}/resize",
      handler: (ctx) => {
        const [h, w] = dims(ctx.int("h"), ctx.int("w"));
        b.resize(ctx.params.id, h, w);
        ctx.sendStatus(200);
      },
    },
    { method: "GET", path: "/exec/{id}/json", handler: (ctx) => ctx.sendJson(200, b.inspect(ctx.params.id)) },
  ];
}
