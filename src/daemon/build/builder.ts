import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { parseDockerfile } from "../../build/dockerfile/parser.js";
import { toInstruction, type Dockerfile, type Instruction, type Stage } from "../../build/dockerfile/instructions.js";
import { processWord } from "../../build/dockerfile/shell-lex.js";
import { applyMetadata } from "./metadata.js";
import { dispatchCopy, type SourceRoot } from "./copy-dispatch.js";
import { commitMeta, runStep, short } from "./steps.js";
import { expansionEnv, type BuildCtx, type StageState } from "./build-ctx.js";
import { fullConfig, type RunConfig } from "./types.js";

const DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const PROXY_ARGS = new Set(["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"]);

/**
 * Runs a parsed Dockerfile: the stages the target needs, in order, each
 * instruction a "Step n/m" with Docker's classic output. Returns the final
 * image ID.
 */
export class Builder {
  private readonly stageResults = new Map<number, string | undefined>();
  private readonly consumedArgs = new Set<string>();
  private step = 0;
  private total = 0;
  private readonly metaEnv = new Map<string, string>();

  constructor(private readonly ctx: BuildCtx, private readonly df: Dockerfile) {}

  private findStage(name: string, before: number): Stage | undefined {
    const lower = name.toLowerCase();
    if (/^\d+$/.test(name) && Number(name) < before) return this.df.stages[Number(name)];
    return this.df.stages.find((s) => s.index < before && s.name === lower);
  }

  async run(): Promise<string | undefined> {
    const ctx = this.ctx;
    for (const a of this.df.metaArgs) for (const { name, value } of a.args) {
      this.consumedArgs.add(name);
      const v = ctx.opts.buildArgs[name] ?? (value !== undefined ? processWord(value, this.metaEnv, ctx.escape) : undefined);
      if (v !== undefined && v !== null) this.metaEnv.set(name, v);
    }
    let target = this.df.stages[this.df.stages.length - 1];
    if (ctx.opts.target) {
      const t = this.df.stages.find((s) => s.name === ctx.opts.target!.toLowerCase());
      if (!t) throw new InvalidArgumentError(`failed to reach build target ${ctx.opts.target} in Dockerfile`);
      target = t;
    }
    // Every stage up to the target runs, needed or not, as in dockerd's classic builder
    // (an ONBUILD RUN that fails in an unused stage fails the build there too).
    const stages = this.df.stages.filter((s) => s.index <= target.index);
    const extraLabel = Object.keys(ctx.opts.labels).length > 0;
    this.total = this.df.metaArgs.length + stages.reduce((n, s) => n + 1 + s.commands.length, 0) + (extraLabel ? 1 : 0);
    for (const a of this.df.metaArgs) this.header(a.node.original);
    let last: StageState | undefined;
    for (const s of stages) {
      last = await this.runStage(s);
      if (s === target && extraLabel) {
        // --label is an extra LABEL step on the target, as in dockerd.
        const text = `LABEL ${Object.entries(ctx.opts.labels).map(([k, v]) => `${k}=${v}`).join(" ")}`;
        this.header(text);
        await commitMeta(ctx, last, { ...last.config, Labels: { ...(last.config.Labels ?? {}), ...ctx.opts.labels } }, text);
      }
      if (last.imageId) ctx.stageBuilt(last.imageId);
    }
    const unused = Object.keys(ctx.opts.buildArgs).filter((k) => !this.consumedArgs.has(k) && !PROXY_ARGS.has(k));
    if (unused.length) ctx.say(`[Warning] One or more build-args [${unused.join(" ")}] were not consumed\n`);
    return last?.imageId;
  }

  private header(original: string): void {
    this.step++;
    this.ctx.say(`Step ${this.step}/${this.total} : ${original}`);
    this.ctx.say("\n");
  }

  private async runStage(s: Stage): Promise<StageState> {
    const ctx = this.ctx;
    this.header(s.from.node.original);
    const name = processWord(s.from.image, this.metaEnv, ctx.escape);
    const dep = this.findStage(name, s.index);
    let imageId: string | undefined;
    if (dep) imageId = this.stageResults.get(dep.index);
    else if (name !== "scratch") imageId = await this.baseImage(name);
    ctx.say(` ---> ${imageId ? short(imageId) : ""}\n`);
    const base = imageId ? (await ctx.images.images.config(imageId)).config ?? {} : {};
    const config = fullConfig({ ...base, Image: imageId ?? "" } as RunConfig);
    if (!(config.Env ?? []).some((e) => e.startsWith("PATH="))) config.Env = [...(config.Env ?? []), DEFAULT_PATH];
    const st: StageState = { imageId, config, args: new Map(), stage: { cmdSet: false } };
    const triggers = config.OnBuild ?? [];
    if (triggers.length) {
      config.OnBuild = null;
      ctx.say(`# Executing ${triggers.length} build trigger${triggers.length > 1 ? "s" : ""}\n`);
      for (const t of triggers) {
        const node = parseDockerfile(t).nodes[0];
        if (node) await this.dispatch(st, toInstruction(node, ctx.escape));
      }
    }
    for (const ins of s.commands) {
      this.header(ins.node.original);
      await this.dispatch(st, ins);
    }
    this.stageResults.set(s.index, st.imageId);
    return st;
  }

  /** A local image, or a pull when asked (`--pull`) or when it is missing. */
  private async baseImage(name: string): Promise<string> {
    const images = this.ctx.images;
    const local = async () => (await images.images.resolve(name)).record.id;
    if (!this.ctx.opts.pull) {
      try {
        return await local();
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    try {
      await images.pull(name);
    } catch (err) {
      // Offline: --pull falls back to the local copy when there is one.
      try {
        return await local();
      } catch {
        throw err;
      }
    }
    return local();
  }

  private async dispatch(st: StageState, ins: Instruction): Promise<void> {
    const ctx = this.ctx;
    switch (ins.kind) {
      case "run": {
        const cmd = runCommand(ins, ctx, st);
        const argEnv: string[] = [];
        const proxyEnv: string[] = [];
        const envNames = new Set((st.config.Env ?? []).map((e) => e.split("=")[0]));
        for (const [k, v] of [...st.args].sort(([a], [b]) => a.localeCompare(b))) if (v !== undefined && !envNames.has(k)) argEnv.push(`${k}=${v}`);
        for (const [k, v] of Object.entries(ctx.opts.buildArgs)) if (PROXY_ARGS.has(k) && v != null && !st.args.has(k)) proxyEnv.push(`${k}=${v}`);
        return runStep(ctx, st, cmd, argEnv, proxyEnv);
      }
      case "copy":
      case "add": {
        let from: SourceRoot = { kind: "context" };
        if (ins.kind === "copy" && ins.from) {
          const ref = processWord(ins.from, expansionEnv(st), ctx.escape);
          const stage = this.findStage(ref, this.df.stages.length);
          if (stage && this.stageResults.has(stage.index)) from = { kind: "image", imageId: this.stageResults.get(stage.index) };
          else if (/^\d+$/.test(ref)) throw new InvalidArgumentError(`invalid from flag value ${ref}: refers to current build stage`);
          else from = { kind: "image", imageId: await this.baseImage(ref) };
        }
        return dispatchCopy(ctx, st, ins, from);
      }
      case "arg": {
        const parts: string[] = [];
        for (const { name, value } of ins.args) {
          this.consumedArgs.add(name);
          const given = ctx.opts.buildArgs[name];
          const dflt = value !== undefined ? processWord(value, expansionEnv(st), ctx.escape) : this.metaEnv.get(name);
          st.args.set(name, given ?? dflt);
          parts.push(value !== undefined ? `${name}=${value}` : name);
        }
        return commitMeta(ctx, st, st.config, `ARG ${parts.join(" ")}`);
      }
      case "workdir": {
        const dir = processWord(ins.value, expansionEnv(st), ctx.escape);
        const abs = dir.startsWith("/") ? dir : `${(st.config.WorkingDir || "/").replace(/\/$/, "")}/${dir}`;
        const config = { ...st.config, WorkingDir: abs };
        return commitMeta(ctx, st, config, `WORKDIR ${abs}`, abs);
      }
      case "from":
        throw new InvalidArgumentError("FROM is not allowed here");
      default: {
        const { config, comment } = applyMetadata(ins, st.config, expansionEnv(st), ctx.escape, st.stage);
        return commitMeta(ctx, st, config, comment);
      }
    }
  }
}

/** RUN's argv: exec form as is; shell form (and heredoc scripts) through the stage's SHELL. */
function runCommand(ins: Extract<Instruction, { kind: "run" }>, ctx: BuildCtx, st: StageState): string[] {
  if ("json" in ins.form) return ins.form.json;
  const shell = ctx.shell(st);
  if (ins.heredocs.length === 1 && /^<<-?["']?[A-Za-z_][A-Za-z0-9_]*["']?$/.test(ins.form.shell.trim())) {
    return [...shell, ins.heredocs[0].content];
  }
  let text = ins.form.shell;
  for (const h of ins.heredocs) text += `\n${h.content}${h.name}`;
  return [...shell, text];
}
