import { writeFileSync } from "node:fs";
import { ApiError } from "../../../client/api-error.js";
import type { EngineClient } from "../../../client/engine-client.js";
import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { str, type ParsedFlags } from "../../flags.js";
import { pullImage, withDefaultTag } from "../image/pull.js";
import { CREATE_FLAGS, sortFlags } from "./create-flags.js";
import { buildCreateRequest, type CreateRequest } from "./create-config.js";

/** `wharf create`: create a container, pulling the image when missing. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] IMAGE [COMMAND] [ARG...]",
  short: "Create a new container",
  aliases: ["container create", "create"],
  interspersed: false,
  args: { min: 1 },
  flags: sortFlags(CREATE_FLAGS),
};

/**
 * docker's createContainer: create; on "No such image" (unless --pull=never)
 * say so on stderr, pull, and create again. Warnings go to stderr.
 */
export async function createContainer(ctx: CliContext, client: EngineClient, req: CreateRequest, cidfile?: string): Promise<string> {
  if (cidfile) assertCidfileFree(cidfile);
  const progress = ctx.io.stderr;
  if (req.pull === "always") await pullImage(client, req.image, { platform: req.platform, out: progress });
  let res;
  try {
    res = await client.containerCreate(req.body, req.name, req.platform);
  } catch (err) {
    if (!(err instanceof ApiError) || err.statusCode !== 404 || !/no such image/i.test(err.message) || req.pull !== "missing") throw err;
    ctx.io.stderr.write(`Unable to find image '${withDefaultTag(req.image)}' locally\n`);
    await pullImage(client, req.image, { platform: req.platform, out: progress });
    res = await client.containerCreate(req.body, req.name, req.platform);
  }
  for (const w of res.Warnings ?? []) ctx.io.stderr.write(`WARNING: ${w}\n`);
  if (cidfile) writeFileSync(cidfile, res.Id);
  return res.Id;
}

function assertCidfileFree(path: string): void {
  try {
    writeFileSync(path, "", { flag: "wx" });
  } catch {
    throw new StatusError(125, `container ID file found, make sure the other container isn't running or delete ${path}`);
  }
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const req = buildCreateRequest(p, true);
  // `create` attaches nothing by default... but docker records stdout/stderr attach for a later `start -a`
  req.body.AttachStdout = true;
  req.body.AttachStderr = true;
  req.body.AttachStdin = p.values.get("interactive") === true;
  req.body.StdinOnce = req.body.AttachStdin;
  const client = await ctx.client();
  const id = await createContainer(ctx, client, req, str(p, "cidfile") || undefined);
  ctx.io.stdout.write(`${id}\n`);
}
