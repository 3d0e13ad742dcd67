import type { RequestContext } from "../../router.js";
import { NotImplementedError } from "../../../lib/errors.js";
import { publicErrorMessage } from "../../errors.js";
import type { ImageBackend } from "./backend.js";

/**
 * `POST /images/create` (operation ImageCreate): pull with `fromImage`,
 * import with `fromSrc` ("-" = the request body is the tar).
 *
 * Like dockerd, nothing is written until there is something to say, so an
 * error before the first progress line is a normal HTTP error (status and
 * `{"message"}`); after that, errors travel in the 200 JSON stream as
 * `{"errorDetail":{"message"},"error"}` lines.
 */
export async function imageCreate(b: ImageBackend, ctx: RequestContext): Promise<void> {
  const fromImage = ctx.str("fromImage");
  if (fromImage) {
    ctx.req.resume();
    let res: ReturnType<RequestContext["stream"]> | undefined;
    const progress = (msg: Record<string, unknown>) => {
      res ??= ctx.stream(200, "application/json");
      res.write(JSON.stringify(msg) + "\r\n");
    };
    try {
      await b.pull(fromImage, ctx.str("tag") || undefined, progress);
    } catch (err) {
      if (!res) throw err;
      writeStreamError(res, err);
    }
    res?.end();
    return;
  }

  const src = ctx.str("fromSrc") || "-";
  if (src !== "-") {
    ctx.req.resume();
    throw new NotImplementedError(`importing from a URL (${src}) is not supported yet; send the tar as the request body (fromSrc=-)`);
  }
  let result: { id: string };
  try {
    result = await b.importImage(ctx.req, {
      repo: ctx.str("repo") || undefined,
      tag: ctx.str("tag") || undefined,
      changes: ctx.query.getAll("changes").filter((c) => c !== ""),
      message: ctx.str("message") || undefined,
      platform: ctx.str("platform") || undefined,
    });
  } catch (err) {
    ctx.req.resume(); // let the client finish sending so it can read our answer
    throw err;
  }
  const res = ctx.stream(200, "application/json");
  res.end(JSON.stringify({ status: result.id }) + "\r\n");
}

function writeStreamError(res: NodeJS.WritableStream, err: unknown): void {
  const message = publicErrorMessage(err, "the progress stream");
  res.write(JSON.stringify({ errorDetail: { message }, error: message }) + "\r\n");
}
