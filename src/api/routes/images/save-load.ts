import type { RequestContext } from "../../router.js";
import { InvalidArgumentError } from "../../../lib/errors.js";
import type { ImageBackend } from "./backend.js";
import { publicErrorMessage } from "../../errors.js";

/** `GET /images/get?names=…` (ImageGetAll) and `GET /images/{name}/get` (ImageGet): a tar stream. */
export async function imageGet(b: ImageBackend, ctx: RequestContext, names: string[]): Promise<void> {
  if (names.length === 0) throw new InvalidArgumentError("no image names given");
  const tar = await b.save(names);
  const res = ctx.stream(200, "application/x-tar");
  tar.on("error", () => res.destroy());
  tar.pipe(res);
}

/** `POST /images/load?quiet=` (ImageLoad): the body is a save archive; answers JSON lines (`{"stream":"Loaded image: …"}`). */
export async function imageLoad(b: ImageBackend, ctx: RequestContext): Promise<void> {
  // As dockerd: the 200 JSON stream starts at once, a failure (a garbage archive) is a message in it.
  const res = ctx.stream(200, "application/json");
  const write = (m: Record<string, unknown>) => res.write(JSON.stringify(m) + "\r\n");
  try {
    await b.load(ctx.req, write);
  } catch (err) {
    ctx.req.resume();
    const message = publicErrorMessage(err, "POST /images/load");
    write({ errorDetail: { message }, error: message });
  }
  res.end();
}
