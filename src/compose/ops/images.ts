import path from "node:path";
import { contextTar } from "../../client/build-context.js";
import { readJsonMessages } from "../../client/engine-client.js";
import { ComposeError } from "../errors.js";
import type { Service } from "../model.js";
import type { ComposeContext } from "./context.js";
import { imageName } from "./observed.js";
import { notFound } from "./resources.js";

/**
 * Images for services: build (classic POST /build with the context tar the
 * docker CLI would send), pull (POST /images/create) and push, and the
 * decision of which of those `up` needs under each pull_policy.
 */
export interface BuildOptions {
  noCache?: boolean;
  pull?: boolean;
  quiet?: boolean;
  args?: Record<string, string>;
}

export async function imageId(ctx: ComposeContext, ref: string): Promise<string | undefined> {
  const info = await ctx.client.imageInspect(ref).catch((err) => notFound(err));
  return info ? String(info.Id) : undefined;
}

export async function buildService(ctx: ComposeContext, s: Service, o: BuildOptions = {}): Promise<string> {
  const b = s.build;
  if (!b) throw new ComposeError(`service "${s.name}" has no build section`);
  const tag = imageName(ctx.project, s);
  if (b.dockerfile_inline !== undefined) throw new ComposeError(`service "${s.name}": build.dockerfile_inline is not supported by wharf compose; use a Dockerfile`);
  ctx.report.progress("Service", s.name, "Building");
  const { stream, dockerfile } = await contextTar(b.context, path.resolve(b.context, b.dockerfile ?? "Dockerfile")).catch((err: Error) => {
    throw new ComposeError(`service "${s.name}": build context ${b.context}: ${err.message}`);
  });
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(b.args ?? {})) {
    const value = v ?? ctx.project.environment[k];
    if (value !== undefined) args[k] = value;
  }
  Object.assign(args, o.args ?? {});
  const hosts = Object.entries(b.extra_hosts ?? {}).flatMap(([h, ip]) => (Array.isArray(ip) ? ip : [ip]).map((i) => `${h}:${i}`));
  const query = {
    t: [tag, ...((b.tags as string[] | undefined) ?? [])],
    dockerfile,
    buildargs: JSON.stringify(args),
    labels: JSON.stringify(b.labels ?? {}),
    target: b.target,
    networkmode: b.network,
    extrahosts: hosts.length ? hosts.join(",") : undefined,
    nocache: o.noCache || b.no_cache ? "1" : undefined,
    pull: o.pull || b.pull ? "1" : undefined,
    rm: "1",
    forcerm: "1",
    version: "1",
  };
  const res = await ctx.client.stream("POST", "/build", { query, rawBody: stream, contentType: "application/x-tar" });
  let id: string | undefined;
  try {
    await readJsonMessages(res, (m) => {
      if (typeof m.stream === "string" && !o.quiet) ctx.report.text(m.stream);
      const aux = m.aux as { ID?: string } | undefined;
      if (aux?.ID) id = aux.ID;
    });
  } catch (err) {
    throw new ComposeError(`service "${s.name}": build failed: ${(err as Error).message}`);
  }
  ctx.report.progress("Service", s.name, "Built");
  return id ?? (await imageId(ctx, tag)) ?? "";
}

export async function pullImage(ctx: ComposeContext, ref: string, serviceName: string): Promise<void> {
  const { fromImage, tag } = splitRef(ref);
  ctx.report.progress("Image", ref, "Pulling");
  const res = await ctx.client.stream("POST", "/images/create", {
    query: { fromImage, tag },
    headers: { "X-Registry-Auth": ctx.registryAuth?.(ref) || "e30=" },
  });
  try {
    await readJsonMessages(res);
  } catch (err) {
    ctx.report.progress("Image", ref, "Error");
    throw new ComposeError(`service "${serviceName}": pull ${ref}: ${(err as Error).message}`);
  }
  ctx.report.progress("Image", ref, "Pulled");
}

export async function pushImage(ctx: ComposeContext, ref: string): Promise<void> {
  const { fromImage, tag } = splitRef(ref);
  ctx.report.progress("Image", ref, "Pushing");
  const res = await ctx.client.stream("POST", `/images/${fromImage}/push`, { query: { tag }, headers: { "X-Registry-Auth": ctx.registryAuth?.(ref) || "e30=" } });
  await readJsonMessages(res).catch((err: Error) => {
    throw new ComposeError(`push ${ref}: ${err.message}`);
  });
  ctx.report.progress("Image", ref, "Pushed");
}

function splitRef(ref: string): { fromImage: string; tag: string } {
  const at = ref.indexOf("@");
  if (at >= 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(":");
  if (colon > ref.lastIndexOf("/")) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: "latest" };
}

/**
 * Make sure the image of every service exists before containers are
 * created: build or pull per pull_policy and the up flags. Returns each
 * service's image ID.
 */
export async function ensureImages(ctx: ComposeContext, services: Service[], o: { build?: boolean; noBuild?: boolean; pull?: string; buildOptions?: BuildOptions }): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  // builds run one after another (the classic builder is CPU bound), pulls in parallel
  const builds: Service[] = [];
  const pulls: Promise<void>[] = [];
  for (const s of services) {
    const ref = imageName(ctx.project, s);
    const policy = o.pull ?? (s.pull_policy as string | undefined) ?? "missing";
    const present = await imageId(ctx, ref);
    if (s.build && !o.noBuild && (o.build || policy === "build" || !present)) {
      builds.push(s);
      continue;
    }
    if (present && policy !== "always") {
      ids.set(s.name, present);
      continue;
    }
    if (policy === "never" || (s.build && o.noBuild && !present)) {
      if (!present) throw new ComposeError(`service "${s.name}": image ${ref} not found${s.build ? " and --no-build was given" : " and pull_policy is never"}`);
      ids.set(s.name, present);
      continue;
    }
    pulls.push(
      pullImage(ctx, ref, s.name).then(async () => {
        const id = await imageId(ctx, ref);
        if (!id) throw new ComposeError(`service "${s.name}": image ${ref} not found after pull`);
        ids.set(s.name, id);
      }),
    );
  }
  await Promise.all(pulls);
  for (const s of builds) ids.set(s.name, await buildService(ctx, s, o.buildOptions));
  return ids;
}
