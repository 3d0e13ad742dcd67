import type { RequestContext } from "../../router.js";
import { publicErrorMessage } from "../../errors.js";
import { UnauthorizedError, WharfError } from "../../../lib/errors.js";
import { decodeRegistryAuth } from "../../../daemon/images/registry-auth.js";
import type { ImageBackend } from "./backend.js";

/**
 * A progress stream in dockerd's manner: nothing is written until the
 * first message, so an early failure is a plain HTTP error; later ones
 * travel in the 200 stream as `{"errorDetail":{"message"},"error"}`.
 */
export async function progressStream(ctx: RequestContext, work: (progress: (m: Record<string, unknown>) => void) => Promise<unknown>): Promise<void> {
  let res: ReturnType<RequestContext["stream"]> | undefined;
  const progress = (msg: Record<string, unknown>) => {
    res ??= ctx.stream(200, "application/json");
    res.write(JSON.stringify(msg) + "\r\n");
  };
  try {
    await work(progress);
  } catch (err) {
    // A registry that wants credentials is the registry's refusal, not this daemon's: dockerd
    // answers it as an unknown error (500) so the docker CLI prints the reason and fails, where
    // a 401 would make it start a Docker Hub login prompt (which hangs with stdin closed).
    if (!res) throw err instanceof UnauthorizedError ? new WharfError(err.message, { cause: err }) : err;
    const message = publicErrorMessage(err, "the progress stream");
    res.write(JSON.stringify({ errorDetail: { message }, error: message }) + "\r\n");
  }
  res?.end();
}

/** `POST /images/create?fromImage=&tag=&platform=` (ImageCreate, pull form) with X-Registry-Auth. */
export async function imagePull(b: ImageBackend, ctx: RequestContext): Promise<void> {
  ctx.req.resume();
  const auth = decodeRegistryAuth(ctx.req.headers["x-registry-auth"]);
  await progressStream(ctx, (progress) => b.pull(ctx.str("fromImage")!, ctx.str("tag") || undefined, progress, { auth, platform: ctx.str("platform") || undefined }));
}

/** `POST /images/{name}/push?tag=` (ImagePush) with X-Registry-Auth. */
export async function imagePush(b: ImageBackend, ctx: RequestContext): Promise<void> {
  ctx.req.resume();
  const auth = decodeRegistryAuth(ctx.req.headers["x-registry-auth"]);
  await progressStream(ctx, (progress) => b.push(ctx.params.name, ctx.str("tag") || undefined, progress, auth));
}
