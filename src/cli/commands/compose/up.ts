import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, int, list, str, type ParsedFlags } from "../../flags.js";
import { up, DEFAULT_WAIT_MS, type UpOptions } from "../../../compose/ops/up.js";
import { attachAndWait } from "./attached.js";
import { composeContext, guarded, loadComposeProject } from "./project.js";

/** `compose up`: create and start the services; attached unless -d. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVICE...]",
  short: "Create and start containers",
  flags: [
    { long: "detach", short: "d", kind: "bool", usage: "Detached mode: Run containers in the background" },
    { long: "build", kind: "bool", usage: "Build images before starting containers" },
    { long: "no-build", kind: "bool", usage: "Don't build an image, even if it's policy" },
    { long: "pull", kind: "string", default: "policy", usage: 'Pull image before running ("always"|"missing"|"never")' },
    { long: "quiet-pull", kind: "bool", usage: "Pull without printing progress information" },
    { long: "force-recreate", kind: "bool", usage: "Recreate containers even if their configuration and image haven't changed" },
    { long: "no-recreate", kind: "bool", usage: "If containers already exist, don't recreate them. Incompatible with --force-recreate." },
    { long: "no-deps", kind: "bool", usage: "Don't start linked services" },
    { long: "no-start", kind: "bool", usage: "Don't start the services after creating them" },
    { long: "scale", kind: "list", typeName: "scale", usage: "Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present." },
    { long: "remove-orphans", kind: "bool", usage: "Remove containers for services not defined in the Compose file" },
    { long: "wait", kind: "bool", usage: "Wait for services to be running|healthy. Implies detached mode." },
    { long: "wait-timeout", kind: "int", usage: "Maximum duration in seconds to wait for the project to be running|healthy" },
    { long: "abort-on-container-exit", kind: "bool", usage: "Stops all containers if any container was stopped. Incompatible with -d" },
    { long: "exit-code-from", kind: "string", usage: "Return the exit code of the selected service container. Implies --abort-on-container-exit" },
    { long: "renew-anon-volumes", short: "V", kind: "bool", usage: "Recreate anonymous volumes instead of retrieving data from the previous containers" },
    { long: "timeout", short: "t", kind: "int", usage: "Use this timeout in seconds for container shutdown when attached or when containers are already running" },
    { long: "no-color", kind: "bool", usage: "Produce monochrome output" },
    { long: "no-log-prefix", kind: "bool", usage: "Don't print prefix in logs" },
    { long: "timestamps", kind: "bool", usage: "Show timestamps" },
    { long: "attach-dependencies", kind: "bool", usage: "Automatically attach to log output of dependent services" },
  ],
};

export function parseScales(items: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of items) {
    const m = /^([^=]+)=(\d+)$/.exec(s);
    if (!m) throw new StatusError(1, `invalid --scale value "${s}": expected SERVICE=NUM`);
    out.set(m[1], Number(m[2]));
  }
  return out;
}

export function upOptions(p: ParsedFlags): UpOptions {
  if (bool(p, "force-recreate") && bool(p, "no-recreate")) throw new StatusError(1, "--force-recreate and --no-recreate are incompatible");
  if (bool(p, "build") && bool(p, "no-build")) throw new StatusError(1, "--build and --no-build are incompatible");
  const pull = str(p, "pull");
  return {
    services: p.args,
    noDeps: bool(p, "no-deps"),
    build: bool(p, "build"),
    noBuild: bool(p, "no-build"),
    pull: pull && pull !== "policy" ? pull : undefined,
    forceRecreate: bool(p, "force-recreate"),
    noRecreate: bool(p, "no-recreate"),
    noStart: bool(p, "no-start"),
    scales: parseScales(list(p, "scale")),
    removeOrphans: bool(p, "remove-orphans"),
    renewAnonVolumes: bool(p, "renew-anon-volumes"),
    timeout: p.changed.has("timeout") ? int(p, "timeout") : undefined,
    wait: bool(p, "wait"),
    waitTimeoutMs: p.changed.has("wait-timeout") ? int(p, "wait-timeout") * 1000 : DEFAULT_WAIT_MS,
  };
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<number> {
  const exitFrom = str(p, "exit-code-from");
  const abort = bool(p, "abort-on-container-exit") || !!exitFrom;
  const detach = bool(p, "detach") || bool(p, "wait");
  if (detach && abort) throw new StatusError(1, `${exitFrom ? "--exit-code-from" : "--abort-on-container-exit"} and --detach are incompatible`);
  const o = upOptions(p);
  const project = loadComposeProject(ctx, p.args);
  if (exitFrom && !project.services[exitFrom]) throw new StatusError(1, `no such service: ${exitFrom}`);
  const cctx = await composeContext(ctx, project);
  await guarded(() => up(cctx, o));
  if (detach || o.noStart) return 0;
  return guarded(() => attachAndWait(ctx, cctx, o, { abort, exitFrom: exitFrom || undefined, prefix: !bool(p, "no-log-prefix"), color: !bool(p, "no-color"), timestamps: bool(p, "timestamps") }));
}
