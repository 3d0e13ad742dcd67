import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";

/** `wharf tag SOURCE[:TAG] TARGET[:TAG]`. */
export const command: CommandModule["command"] = {
  use: "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
  short: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
  aliases: ["image tag", "tag"],
  args: { exact: 2 },
  flags: [],
};

/** "host:5000/repo:tag" → repo "host:5000/repo", tag "tag"; a digest reference keeps no tag. */
export function splitRepoTag(ref: string): { repo: string; tag?: string } {
  if (ref.includes("@")) return { repo: ref };
  const colon = ref.lastIndexOf(":");
  if (colon > ref.lastIndexOf("/")) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref };
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const [source, target] = p.args;
  const { repo, tag } = splitRepoTag(target);
  const client = await ctx.client();
  await client.imageTag(source, repo, tag);
}
