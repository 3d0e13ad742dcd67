import type { RequestContext } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { ImageBackend } from "./backend.js";
import { progressStream } from "./pull.js";

/** `GET /images/get?names=…` (ImageGetAll) and `GET /images/{name}/get` (ImageGet): a tar stream. */
export async function imageGet(b: ImageBackend, ctx: RequestContext, names: string[]): Promise<void> {
  if (names.length === 0) throw new InvalidArgumentError("no image names given");
  const tar = await b.save(names);
  const res = ctx.stream(200, "application/x-tar");
  tar.on("error", () => res.destroy());
  tar.pipe(res);
}

/**
 * `POST /images/load?quiet=` (ImageLoad): the body is a save archive; answers JSON lines
 * (`{"stream":"Loaded image: …"}`). Like dockerd the answer is always a 200 stream: a bad
 * archive ends it with an `errorDetail` line.
 */
export async function imageLoad(b: ImageBackend, ctx: RequestContext): Promise<void> {
  await progressStream(ctx, async (progress) => {
    try {
      await b.load(ctx.req, progress);
    } catch (err) {
      ctx.req.resume(); // let the client finish sending so it reads the answer
      throw err;
    }
  }, true);
}
