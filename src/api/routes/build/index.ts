import type { Route, RequestContext } from "../../router.js";
import { InvalidArgumentError, NotImplementedError } from "../../../lib/errors.js";
import { publicErrorMessage } from "../../errors.js";
import type { BuildOptions } from "../../../daemon/build/types.js";
import { parsePlatformString } from "../../../image/manifest.js";
import type { BuildBackend } from "./backend.js";

/**
 * POST /build (ImageBuild, the classic builder) and POST /build/prune.
 * The body is the tar context; progress is a JSON stream of `{"stream"}`
 * and `{"aux":{"ID"}}` messages, a failure after the stream began is
 * `{"errorDetail":{"code","message"},"error"}`. X-Registry-Config is ignored.
 */
export function buildRoutes(b: BuildBackend): Route[] {
  return [
    { method: "POST", path: "/build", handler: (ctx) => imageBuild(b, ctx) },
    {
      method: "POST",
      path: "/build/prune",
      handler: async (ctx) => {
        ctx.req.resume();
        ctx.sendJson(200, await b.prune());
      },
    },
  ];
}

/** A JSON map in the query (buildargs, labels): Go clients send `null` for a nil map. */
function jsonMapParam<V>(ctx: RequestContext, name: string, valueOk: (v: unknown) => boolean): Record<string, V> {
  const v = ctx.str(name);
  if (!v) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw new InvalidArgumentError(`invalid ${name} parameter: ${v} is not valid JSON`);
  }
  if (parsed === null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed) || !Object.values(parsed as object).every(valueOk)) {
    throw new InvalidArgumentError(`invalid ${name} parameter: expected a JSON object of strings, got ${v}`);
  }
  return parsed as Record<string, V>;
}

function buildOptions(ctx: RequestContext): BuildOptions {
  if (ctx.str("version") === "2") throw new NotImplementedError("BuildKit is not supported by wharf; use the classic builder (DOCKER_BUILDKIT=0)");
  if (ctx.str("remote")) throw new NotImplementedError("building from a remote context (git or URL) is not supported yet; send the context as a tar");
  // dockerd parses `platform` before reading the context: a bad one is a 400 (containerd's words).
  // Base images are still the host's platform (no cross-platform builds).
  if (ctx.str("platform")) parsePlatformString(ctx.str("platform"));
  const extraHosts = ctx.query.getAll("extrahosts").flatMap((h) => h.split(",")).filter(Boolean);
  return {
    dockerfile: ctx.str("dockerfile") || "Dockerfile",
    tags: ctx.query.getAll("t").filter(Boolean),
    target: ctx.str("target") || undefined,
    noCache: ctx.bool("nocache"),
    pull: ctx.bool("pull"),
    quiet: ctx.bool("q"),
    rm: ctx.bool("rm", true),
    forceRm: ctx.bool("forcerm"),
    buildArgs: jsonMapParam<string | null>(ctx, "buildargs", (x) => x === null || typeof x === "string"),
    labels: jsonMapParam<string>(ctx, "labels", (x) => typeof x === "string"),
    networkMode: ctx.str("networkmode") || undefined,
    extraHosts,
  };
}

async function imageBuild(b: BuildBackend, ctx: RequestContext): Promise<void> {
  let opts: BuildOptions;
  try {
    opts = buildOptions(ctx);
  } catch (err) {
    ctx.req.resume();
    throw err;
  }
  let res: ReturnType<RequestContext["stream"]> | undefined;
  const write = (m: unknown) => res?.write(JSON.stringify(m) + "\r\n");
  try {
    await b.build(ctx.req, opts, write, () => (res = ctx.stream(200, "application/json")));
  } catch (err) {
    if (!res) {
      ctx.req.resume();
      throw err;
    }
    const message = publicErrorMessage(err, "POST /build");
    const code = (err as { code?: unknown }).code;
    const detail = typeof code === "number" ? { code, message } : { message };
    write({ errorDetail: detail, error: message });
  }
  res?.end();
}
