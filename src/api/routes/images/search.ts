import type { RequestContext } from "../../router.js";
import { decodeRegistryAuth } from "../../../daemon/images/registry-auth.js";
import type { ImageBackend } from "./backend.js";

/** `GET /images/search?term=&limit=&filters=` (ImageSearch) with X-Registry-Auth. */
export async function imageSearch(b: ImageBackend, ctx: RequestContext): Promise<void> {
  const auth = decodeRegistryAuth(ctx.req.headers["x-registry-auth"]);
  ctx.sendJson(200, await b.search(ctx.str("term") ?? "", ctx.int("limit"), ctx.filters(), auth));
}
