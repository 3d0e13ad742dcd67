// What a log driver knows about its container: the fields of `tag` templates
// ({{.Name}}, {{.ID}}, {{.ImageName}}, …) and the extra attributes selected by
// the labels/env options, as dockerd's logger.Info.
import os from "node:os";
import { DOCKER_FUNCS, GO_BUILTINS, type FuncDef } from "../lib/template/builtins.js";
import { execute } from "../lib/template/exec.js";
import { parse } from "../lib/template/parser.js";
import { InvalidArgumentError } from "../lib/errors.js";

export interface ContainerFacts {
  id: string;
  /** With or without the leading "/". */
  name: string;
  imageId: string;
  imageName: string;
  entrypoint: string;
  args: string[];
  created: string;
  labels: Record<string, string>;
  env: string[];
}

/** Template data: methods are what `{{.X}}` calls, as in Go. */
export class LogInfo {
  readonly DaemonName = "docker";
  constructor(private readonly c: ContainerFacts, readonly Config: Record<string, string>) {}
  ID(): string {
    return this.c.id.slice(0, 12);
  }
  FullID(): string {
    return this.c.id;
  }
  Name(): string {
    return this.c.name.replace(/^\//, "");
  }
  ImageID(): string {
    return this.c.imageId.replace(/^sha256:/, "").slice(0, 12);
  }
  ImageFullID(): string {
    return this.c.imageId;
  }
  ImageName(): string {
    return this.c.imageName;
  }
  Command(): string {
    return [this.c.entrypoint, ...this.c.args].join(" ");
  }
  Hostname(): string {
    return os.hostname();
  }
  get ContainerID(): string {
    return this.c.id;
  }
  get ContainerCreated(): string {
    return this.c.created;
  }
  get ContainerLabels(): Record<string, string> {
    return this.c.labels;
  }
  get ContainerEnv(): string[] {
    return this.c.env;
  }
}

const FUNCS = new Map<string, FuncDef>([...Object.entries(GO_BUILTINS), ...Object.entries(DOCKER_FUNCS)]);

/** dockerd's ParseLogTag: the `tag` option rendered, else `dflt` rendered ("{{.ID}}" for remote drivers). */
export function renderTag(info: LogInfo, dflt: string): string {
  const text = info.Config.tag || dflt;
  if (!text) return "";
  try {
    return execute(parse(text, "log-tag", (n) => FUNCS.has(n)), info, { funcs: FUNCS, missingKey: "default" });
  } catch (err) {
    throw new InvalidArgumentError(`failed to create logging driver: ${(err as Error).message}`);
  }
}

/** dockerd's ExtraAttributes: labels, labels-regex, env, env-regex; keys passed through `keyMod`. */
export function extraAttributes(info: LogInfo, keyMod: (k: string) => string = (k) => k): Record<string, string> {
  const o = info.Config;
  const out: Record<string, string> = {};
  const labels = info.ContainerLabels;
  for (const l of (o.labels ?? "").split(",")) if (l && l in labels) out[keyMod(l)] = labels[l];
  if (o["labels-regex"]) {
    const re = new RegExp(o["labels-regex"]);
    for (const [k, v] of Object.entries(labels)) if (re.test(k)) out[keyMod(k)] = v;
  }
  const env = new Map<string, string>();
  for (const e of info.ContainerEnv) {
    const i = e.indexOf("=");
    if (i > 0) env.set(e.slice(0, i), e.slice(i + 1));
  }
  for (const k of (o.env ?? "").split(",")) if (k && env.has(k)) out[keyMod(k)] = env.get(k)!;
  if (o["env-regex"]) {
    const re = new RegExp(o["env-regex"]);
    for (const [k, v] of env) if (re.test(k)) out[keyMod(k)] = v;
  }
  return out;
}

/** Attributes json-file and local store with every record: the extras, plus "tag" when the option is set. */
export function fileAttributes(info: LogInfo): Record<string, string> {
  const out = extraAttributes(info);
  if (info.Config.tag) {
    const tag = renderTag(info, "");
    if (tag) out.tag = tag;
  }
  return out;
}
