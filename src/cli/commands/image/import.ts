import { createReadStream } from "node:fs";
import { readJsonMessages } from "../../../client/engine-client.js";
import type { CliContext, CommandModule } from "../../context.js";
import { list, str, type ParsedFlags } from "../../flags.js";
import { splitRepoTag } from "./tag.js";

/** `wharf import file|URL|- [REPOSITORY[:TAG]]`: a rootfs tarball becomes an image. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
  short: "Import the contents from a tarball to create a filesystem image",
  aliases: ["image import", "import"],
  args: { min: 1 },
  flags: [
    { long: "change", short: "c", kind: "list", usage: "Apply Dockerfile instruction to the created image" },
    { long: "message", short: "m", kind: "string", usage: "Set commit message for imported image" },
    { long: "platform", kind: "string", usage: "Set platform if server is multi-platform capable" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const [source, ref] = p.args;
  const { repo, tag } = ref ? splitRepoTag(ref) : { repo: undefined, tag: undefined };
  const isUrl = /^(https?):\/\//.test(source);
  const body = source === "-" ? ctx.io.stdin : isUrl ? undefined : createReadStream(source);
  if (body && source !== "-") await openOrThrow(body as ReturnType<typeof createReadStream>, source);
  const client = await ctx.client();
  const res = await client.imageCreate(
    {
      fromSrc: isUrl ? source : "-",
      repo,
      tag,
      message: str(p, "message") || undefined,
      changes: list(p, "change"),
      platform: str(p, "platform") || undefined,
    },
    body,
  );
  await readJsonMessages(res, (m) => {
    if (typeof m.status === "string" && !m.progressDetail) ctx.io.stdout.write(`${m.status}\n`);
    else if (typeof m.status === "string" && Object.keys(m.progressDetail as object).length === 0) ctx.io.stdout.write(`${m.status}\n`);
  });
}

/** Surface "no such file" before talking to the daemon, with Go's wording. */
function openOrThrow(stream: ReturnType<typeof createReadStream>, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (err: NodeJS.ErrnoException) => reject(new Error(`open ${path}: ${err.code === "ENOENT" ? "no such file or directory" : err.message}`)));
  });
}
