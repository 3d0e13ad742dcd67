import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { str, type ParsedFlags } from "../../flags.js";
import { renderInspect } from "../../format/render.js";
import { INSPECT_FORMAT_USAGE } from "../shared/format-usage.js";
import { DEFAULT_CONTEXT } from "../../../client/endpoint.js";
import type { ContextMeta, DockerEndpoint } from "../../../client/contexts/context-store.js";
import { currentName, defaultContext, storeOf } from "./shared.js";

/** `wharf context inspect`: metadata, TLS file names and storage paths, as the docker CLI prints them. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [CONTEXT] [CONTEXT...]",
  short: "Display detailed information on one or more contexts",
  flags: [{ long: "format", short: "f", kind: "string", usage: INSPECT_FORMAT_USAGE }],
};

function sorted(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

function view(meta: ContextMeta): Record<string, unknown> {
  const endpoints: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sorted(meta.Endpoints))) {
    const ep = v as DockerEndpoint;
    endpoints[k] = k === "docker" ? { ...(ep.Host ? { Host: ep.Host } : {}), SkipTLSVerify: !!ep.SkipTLSVerify } : v;
  }
  return { Name: meta.Name, Metadata: sorted(meta.Metadata ?? {}), Endpoints: endpoints };
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const names = p.args.length ? p.args : [currentName(ctx)];
  const store = storeOf(ctx);
  const items: unknown[] = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      if (name === DEFAULT_CONTEXT) {
        const d = defaultContext(ctx);
        const tlsList = Object.fromEntries(Object.entries(d.tls).map(([ep, files]) => [ep, Object.keys(files)]));
        items.push({ ...view(d.meta), TLSMaterial: tlsList, Storage: { MetadataPath: "<IN MEMORY>", TLSPath: "<IN MEMORY>" } });
      } else {
        const meta = store.get(name);
        items.push({ ...view(meta), TLSMaterial: store.listTls(name), Storage: { MetadataPath: store.metaPath(name), TLSPath: store.tlsPath(name) } });
      }
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  const out = renderInspect(str(p, "format"), items);
  ctx.io.stdout.write(out.output);
  const all = [...errors, ...out.errors];
  if (all.length) throw new StatusError(1, all.join("\n"));
}
