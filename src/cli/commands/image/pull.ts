import type { EngineClient } from "../../../client/engine-client.js";
import { readJsonMessages } from "../../../client/engine-client.js";
import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { parseReference } from "../shared/reference.js";
import { DEFAULT_SERVER, registryAuthHeader, registryOfImage } from "../system/login.js";

/** `wharf pull NAME[:TAG|@DIGEST]` and the pull `run`/`create` do for a missing image. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] NAME[:TAG|@DIGEST]",
  short: "Download an image from a registry",
  aliases: ["image pull", "pull"],
  args: { exact: 1 },
  flags: [
    { long: "all-tags", short: "a", kind: "bool", usage: "Download all tagged images in the repository" },
    { long: "platform", kind: "string", usage: "Set platform if server is multi-platform capable" },
    { long: "quiet", short: "q", kind: "bool", usage: "Suppress verbose output" },
  ],
};

/** "busybox" → "busybox:latest": the form docker prints and pulls. */
export function withDefaultTag(ref: string): string {
  const r = parseReference(ref);
  if (r && !r.tag && !r.digest) return `${ref}:latest`;
  return ref;
}

/** Pull one image, printing docker's non-TTY progress lines to `out`. */
export async function pullImage(client: EngineClient, ref: string, opts: { platform?: string; out?: NodeJS.WritableStream; allTags?: boolean }): Promise<void> {
  const full = opts.allTags ? ref : withDefaultTag(ref);
  const at = full.indexOf("@");
  const colon = full.lastIndexOf(":");
  let fromImage = full;
  let tag: string | undefined;
  if (at >= 0) {
    fromImage = full.slice(0, at);
    tag = full.slice(at + 1);
  } else if (colon > full.lastIndexOf("/")) {
    fromImage = full.slice(0, colon);
    tag = full.slice(colon + 1);
  }
  const res = await client.stream("POST", "/images/create", {
    query: { fromImage, tag, platform: opts.platform },
    headers: { "X-Registry-Auth": registryAuthHeader(registryOfImage(fromImage)) || "e30=" },
  });
  let failure: string | undefined;
  await readJsonMessages(res, (m) => {
    if (typeof m.error === "string") failure = m.error;
    if (!opts.out || typeof m.status !== "string") return;
    const id = typeof m.id === "string" ? `${m.id}: ` : "";
    if (typeof m.progress === "string" || m.progressDetail && Object.keys(m.progressDetail as object).length > 0) return;
    opts.out.write(`${id}${m.status}\n`);
  });
  if (failure) throw new Error(failure);
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const ref = p.args[0];
  await pullImage(client, ref, { platform: str(p, "platform") || undefined, out: bool(p, "quiet") ? undefined : ctx.io.stdout, allTags: bool(p, "all-tags") });
  if (bool(p, "quiet")) ctx.io.stdout.write(`${bool(p, "all-tags") ? ref : withDefaultTag(ref)}\n`);
  else ctx.io.stdout.write(`${canonical(withDefaultTag(ref))}\n`);
}

/** "busybox:latest" → "docker.io/library/busybox:latest"; other registries print as given. */
function canonical(ref: string): string {
  if (registryOfImage(ref) !== DEFAULT_SERVER) return ref;
  return `docker.io/${ref.includes("/") ? "" : "library/"}${ref}`;
}
