import { stdcopyFrame } from "../../../lib/stdcopy.js";
import type { Route } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { ExecBackend } from "./backend.js";
import type { ContainerExecBody, ExecStartBody } from "../../types/engine-api.js";
import { streamMediaType } from "../../media-types.js";
import { versionLessThan } from "../../version.js";

function dims(h: number | undefined, w: number | undefined): [number, number] {
  if (h === undefined || w === undefined || h < 0 || w < 0) throw new InvalidArgumentError("invalid resize: h and w must be non-negative integers");
  return [h, w];
}

/** `[height, width]`, or undefined when absent or null. */
function consoleSizeOf(v: unknown): [number, number] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new InvalidArgumentError("invalid ConsoleSize: expected [height, width] as two non-negative integers");
  }
  return [v[0], v[1]];
}

/** Exec routes: create, start (hijacked or detached), resize, inspect. */
export function execRoutes(b: ExecBackend): Route[] {
  return [
    {
      method: "POST",
      path: "/containers/{id}/exec",
      handler: async (ctx) => {
        const body = await ctx.body<ContainerExecBody>("ContainerExec", {});
        // ConsoleSize exists from API 1.42 on; older clients' values are ignored, as by dockerd.
        if (versionLessThan(ctx.apiVersion, "1.42")) delete body.ConsoleSize;
        ctx.sendJson(201, await b.create(ctx.params.id, body));
      },
    },
    {
      method: "POST",
      path: "/exec/{id}/start",
      handler: async (ctx) => {
        const body = await ctx.body<ExecStartBody>("ExecStart", {});
        b.check(ctx.params.id);
        const consoleSize = body.Tty && !versionLessThan(ctx.apiVersion, "1.42") ? consoleSizeOf(body.ConsoleSize) : undefined;
        if (body.Detach) {
          await b.start(ctx.params.id, { detach: true, tty: body.Tty, consoleSize });
          return ctx.sendStatus(200);
        }
        // Like dockerd, the start request's Tty decides the framing (and so the media type).
        const socket = ctx.hijack(streamMediaType(ctx.apiVersion, !body.Tty));
        try {
          await b.start(ctx.params.id, { detach: false, tty: body.Tty, consoleSize, socket });
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
