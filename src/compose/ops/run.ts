import { randomBytes } from "node:crypto";
import { ComposeError } from "../errors.js";
import type { Service } from "../model.js";
import { planContainer } from "../planner/container-config.js";
import type { ComposeContext } from "./context.js";
import { imageName, projectContainers } from "./observed.js";
import { ensureResources, up } from "./up.js";

/**
 * `run`: the service's dependencies brought up (unless noDeps), then a
 * one-off container `<project>-<service>-run-<id>` labelled oneoff=True
 * with the command, env, entrypoint and ports asked for. Attaching and
 * waiting are the CLI's part.
 */
export interface RunOptions {
  service: string;
  command?: string[];
  entrypoint?: string[];
  env?: string[];
  labels?: Record<string, string>;
  user?: string;
  workdir?: string;
  name?: string;
  noDeps?: boolean;
  servicePorts?: boolean;
  publish?: string[];
  tty: boolean;
  interactive: boolean;
  rm?: boolean;
  volumes?: string[];
  build?: boolean;
}

export async function createOneOff(ctx: ComposeContext, o: RunOptions): Promise<{ id: string; name: string }> {
  const s = ctx.project.services[o.service];
  if (!s) throw new ComposeError(`no such service: ${o.service}`);
  const deps = Object.keys(s.depends_on ?? {});
  if (!o.noDeps && deps.length) await up(ctx, { services: deps });
  await ensureResources(ctx, { [s.name]: s }, { build: o.build });
  const image = imageName(ctx.project, s);
  const name = o.name ?? `${ctx.project.name}-${s.name}-run-${randomBytes(6).toString("hex")}`;
  const others = await projectContainers(ctx, { oneoff: false });
  const svc: Service = { ...s, ports: o.servicePorts ? s.ports : [], tty: o.tty, stdin_open: o.interactive };
  if (o.command) svc.command = o.command;
  if (o.entrypoint) svc.entrypoint = o.entrypoint;
  const plan = planContainer(ctx.project, svc, { name, number: 1, oneoff: true, image, containerOf: (n) => others.find((c) => c.service === n)?.name, publishPorts: true }, (m) => ctx.report.warn(m));
  const body = plan.body;
  const env = [...(body.Env ?? [])];
  for (const e of o.env ?? []) env.push(e.includes("=") ? e : `${e}=${process.env[e] ?? ""}`);
  body.Env = env;
  body.Labels = { ...body.Labels, ...(o.labels ?? {}) };
  if (o.user) body.User = o.user;
  if (o.workdir) body.WorkingDir = o.workdir;
  body.AttachStdin = o.interactive;
  body.StdinOnce = o.interactive;
  const hc = body.HostConfig as Record<string, unknown>;
  hc.AutoRemove = o.rm === true;
  hc.RestartPolicy = { Name: "no", MaximumRetryCount: 0 };
  if (o.volumes?.length) hc.Binds = [...((hc.Binds as string[]) ?? []), ...o.volumes];
  for (const pub of o.publish ?? []) addPublish(body as unknown as Record<string, unknown>, hc, pub);
  const res = await ctx.client.containerCreate(body, name, plan.platform).catch((err: Error) => {
    throw new ComposeError(`service "${s.name}": creating one-off container: ${err.message}`);
  });
  for (const c of plan.connect) await ctx.client.networkConnect(c.network, res.Id, c.endpoint);
  return { id: res.Id, name };
}

/** `-p [ip:][host:]container[/proto]` on a one-off container. */
function addPublish(body: Record<string, unknown>, hc: Record<string, unknown>, spec: string): void {
  const m = /^(?:(?:(\d+\.\d+\.\d+\.\d+):)?(\d*):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(spec);
  if (!m) throw new ComposeError(`invalid publish spec "${spec}": use [ip:][host:]container[/proto]`);
  const key = `${m[3]}/${m[4] ?? "tcp"}`;
  body.ExposedPorts = { ...((body.ExposedPorts as object) ?? {}), [key]: {} };
  const pb = (hc.PortBindings ?? {}) as Record<string, unknown[]>;
  pb[key] = [...(pb[key] ?? []), { HostIp: m[1] ?? "", HostPort: m[2] ?? "" }];
  hc.PortBindings = pb;
}
