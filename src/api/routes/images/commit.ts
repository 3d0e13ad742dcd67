import type { Route } from "../../router.js";
import type { CommitOptions } from "../../../daemon/images/container-commit.js";
import type { ImageConfig } from "../../../image/image-config.js";

export interface CommitBackend {
  commit(o: CommitOptions): Promise<string>;
}

/** `POST /commit` (ImageCommit): 201 {"Id"}. The body is an optional ContainerConfig. */
export function commitRoutes(b: CommitBackend): Route[] {
  return [{
    method: "POST",
    path: "/commit",
    handler: async (ctx) => {
      const config = await ctx.body<ImageConfig>("ImageCommit", {});
      const id = await b.commit({
        container: ctx.str("container") ?? "",
        repo: ctx.str("repo") || undefined,
        tag: ctx.str("tag") || undefined,
        comment: ctx.str("comment") || undefined,
        author: ctx.str("author") || undefined,
        pause: ctx.bool("pause", true),
        changes: ctx.query.getAll("changes").filter((c) => c !== ""),
        config,
      });
      ctx.sendJson(201, { Id: id });
    },
  }];
}
