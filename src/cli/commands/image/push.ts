import type { CliContext, CommandModule } from "../../context.js";
import { readJsonMessages } from "../../../client/engine-client.js";
import { bool, type ParsedFlags } from "../../flags.js";
import { registryAuthHeader, registryOfImage } from "../system/login.js";
import { splitRepoTag } from "./tag.js";

/** `wharf push NAME[:TAG]`: prints docker's non-TTY progress lines. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] NAME[:TAG]",
  short: "Upload an image to a registry",
  aliases: ["image push", "push"],
  args: { exact: 1 },
  flags: [
    { long: "all-tags", short: "a", kind: "bool", usage: "Push all tags of an image to the repository" },
    { long: "quiet", short: "q", kind: "bool", usage: "Suppress verbose output" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const { repo, tag } = splitRepoTag(p.args[0]);
  const quiet = bool(p, "quiet");
  const client = await ctx.client();
  const res = await client.stream("POST", `/images/${encodeURIComponent(repo)}/push`, {
    query: { tag: bool(p, "all-tags") ? undefined : tag ?? "latest" },
    headers: { "X-Registry-Auth": registryAuthHeader(registryOfImage(repo)) || "e30=" },
  });
  let failure: string | undefined;
  await readJsonMessages(res, (m) => {
    if (typeof m.error === "string") failure = m.error;
    if (quiet || typeof m.status !== "string" || (m.progressDetail && Object.keys(m.progressDetail as object).length > 0)) return;
    ctx.io.stdout.write(`${typeof m.id === "string" ? `${m.id}: ` : ""}${m.status}\n`);
  });
  if (failure) throw new Error(failure);
  if (quiet) ctx.io.stdout.write(`${p.args[0]}\n`);
}
