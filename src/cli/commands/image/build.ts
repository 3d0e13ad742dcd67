import { promises as fs } from "node:fs";
import { Transform } from "node:stream";
import type { IncomingMessage } from "node:http";
import { StatusError, type CliContext, type CommandModule } from "../../context.js";
import { bool, list, str, type ParsedFlags } from "../../flags.js";
import { humanSizeWithPrecision } from "../../format/human.js";
import { contextTar } from "../../../client/build-context.js";

/** `wharf build [OPTIONS] PATH`: the classic builder through POST /build. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] PATH",
  short: "Build an image from a Dockerfile",
  aliases: ["image build", "build", "builder build"],
  args: { exact: 1 },
  flags: [
    { long: "tag", short: "t", kind: "list", usage: `Name and optionally a tag in the "name:tag" format` },
    { long: "file", short: "f", kind: "string", usage: `Name of the Dockerfile (Default is "PATH/Dockerfile")` },
    { long: "build-arg", kind: "list", usage: "Set build-time variables" },
    { long: "label", kind: "list", usage: "Set metadata for an image" },
    { long: "target", kind: "string", usage: "Set the target build stage to build." },
    { long: "no-cache", kind: "bool", usage: "Do not use cache when building the image" },
    { long: "pull", kind: "bool", usage: "Always attempt to pull a newer version of the image" },
    { long: "quiet", short: "q", kind: "bool", usage: "Suppress the build output and print image ID on success" },
    { long: "network", kind: "string", usage: "Set the networking mode for the RUN instructions during build" },
    { long: "add-host", kind: "list", usage: "Add a custom host-to-IP mapping (host:ip)" },
    { long: "rm", kind: "bool", default: true, usage: "Remove intermediate containers after a successful build" },
    { long: "force-rm", kind: "bool", usage: "Always remove intermediate containers" },
    { long: "iidfile", kind: "string", usage: "Write the image ID to the file" },
  ],
};

function keyValues(items: string[], env: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const it of items) {
    const i = it.indexOf("=");
    // `--build-arg NAME` takes the value from the environment, as docker does.
    if (i < 0) out[it] = env ? (process.env[it] ?? null) : "";
    else out[it.slice(0, i)] = it.slice(i + 1);
  }
  return out;
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<number | void> {
  const dir = p.args[0];
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new StatusError(1, `unable to prepare context: path "${dir}" not found`);
  const quiet = bool(p, "quiet");
  const { stream, dockerfile } = await contextTar(dir, str(p, "file") || undefined);
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      sent += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      if (!quiet) ctx.io.stdout.write(`Sending build context to Docker daemon  ${humanSizeWithPrecision(sent, 4)}\r\n`);
      cb();
    },
  });
  const client = await ctx.client();
  const query: Record<string, string | string[] | boolean | undefined> = {
    t: list(p, "tag"), dockerfile, q: quiet || undefined, nocache: bool(p, "no-cache") || undefined,
    pull: bool(p, "pull") || undefined, rm: bool(p, "rm") ? "1" : "0", forcerm: bool(p, "force-rm") || undefined,
    target: str(p, "target") || undefined, networkmode: str(p, "network") || undefined,
    extrahosts: list(p, "add-host").length ? list(p, "add-host").join(",") : undefined,
    buildargs: JSON.stringify(keyValues(list(p, "build-arg"), true)), labels: JSON.stringify(keyValues(list(p, "label"), false)),
    version: "1",
  };
  const res = await client.stream("POST", "/build", { query, rawBody: stream.pipe(counter), contentType: "application/x-tar" });
  const id = await printMessages(res, ctx, quiet);
  const iidfile = str(p, "iidfile");
  if (iidfile && id) await fs.writeFile(iidfile, id);
}

/** Print the JSON stream as it arrives; an error message ends the build with its code. */
async function printMessages(res: IncomingMessage, ctx: CliContext, quiet: boolean): Promise<string | undefined> {
  let id: string | undefined;
  let buf = "";
  const handle = (line: string) => {
    if (!line.trim()) return;
    const m = JSON.parse(line) as { stream?: string; aux?: { ID?: string }; error?: string; errorDetail?: { code?: number; message?: string } };
    if (m.errorDetail || m.error) throw new StatusError(m.errorDetail?.code || 1, m.errorDetail?.message ?? m.error ?? "build failed");
    if (m.aux?.ID) id = m.aux.ID;
    if (m.stream) {
      if (quiet && m.stream.startsWith("sha256:")) id = m.stream.trim();
      ctx.io.stdout.write(m.stream);
    }
  };
  for await (const chunk of res) {
    buf += (chunk as Buffer).toString("utf8");
    const lines = buf.split(/\r?\n/);
    buf = lines.pop()!;
    for (const l of lines) handle(l);
  }
  handle(buf);
  return id;
}
