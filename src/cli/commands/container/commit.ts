import type { CliContext, CommandModule } from "../../context.js";
import { bool, list, str, type ParsedFlags } from "../../flags.js";
import { splitRepoTag } from "../image/tag.js";

/** `wharf commit CONTAINER [REPOSITORY[:TAG]]`. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
  short: "Create a new image from a container's changes",
  aliases: ["container commit", "commit"],
  args: { min: 1, max: 2 },
  flags: [
    { long: "author", short: "a", kind: "string", usage: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { long: "change", short: "c", kind: "list", usage: "Apply Dockerfile instruction to the created image" },
    { long: "message", short: "m", kind: "string", usage: "Commit message" },
    { long: "pause", short: "p", kind: "bool", usage: "Pause container during commit", default: true },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const target = p.args[1] ? splitRepoTag(p.args[1]) : undefined;
  const client = await ctx.client();
  const res = await client.jsonCall<{ Id: string }>("POST", "/commit", {
    query: {
      container: p.args[0], repo: target?.repo, tag: target?.tag, author: str(p, "author") || undefined,
      comment: str(p, "message") || undefined, pause: bool(p, "pause") ? "1" : "0",
      changes: list(p, "change"),
    },
    body: {},
  });
  ctx.io.stdout.write(`${res.Id}\n`);
}
