import { parseGoDuration } from "../../lib/filters.js";
import { goQuote } from "../../lib/go-quote.js";
import { InvalidArgumentError } from "../../lib/errors.js";
import type { Instruction } from "../../build/dockerfile/instructions.js";
import { processWord, processWords, type Env } from "../../build/dockerfile/shell-lex.js";
import type { RunConfig } from "./types.js";

export const DEFAULT_SHELL = ["/bin/sh", "-c"];

/** Go's %q of a []string: ["a" "b"]. */
export function goQuoteList(a: string[]): string {
  return "[" + a.map((s) => goQuote(s)).join(" ") + "]";
}

export function shellOf(c: RunConfig): string[] {
  return c.Shell && c.Shell.length ? c.Shell : DEFAULT_SHELL;
}

function parseDuration(s: string | undefined, flag: string): number | undefined {
  if (s === undefined || s === "") return undefined;
  const ms = parseGoDuration(s);
  if (ms === undefined) throw new InvalidArgumentError(`failed to parse Dockerfile: time: invalid duration "${s}" for --${flag}`);
  return Math.round(ms * 1e6);
}

/**
 * Apply a metadata-only instruction to the stage's config. Returns the new
 * config and the history comment (`ENV A=1`, `CMD ["sh" "-c" "x"]`): the
 * step commits no layer, only `#(nop)` history.
 */
export function applyMetadata(ins: Instruction, cfg: RunConfig, env: Env, escape: string, stage: { cmdSet: boolean } = { cmdSet: false }): { config: RunConfig; comment: string } {
  const c: RunConfig = { ...cfg };
  const word = (s: string) => processWord(s, env, escape);
  switch (ins.kind) {
    case "env": {
      const map = new Map((c.Env ?? []).map((e) => [e.split("=")[0], e] as [string, string]));
      const parts: string[] = [];
      for (const [k, v] of ins.pairs) {
        const key = word(k);
        const val = word(v);
        map.set(key, `${key}=${val}`);
        env.set(key, val);
        parts.push(`${key}=${val}`);
      }
      c.Env = [...map.values()];
      return { config: c, comment: `ENV ${parts.join(" ")}` };
    }
    case "label": {
      const labels = { ...(c.Labels ?? {}) };
      const parts: string[] = [];
      for (const [k, v] of ins.pairs) {
        const key = word(k);
        const val = word(v);
        labels[key] = val;
        parts.push(`${key}=${val}`);
      }
      c.Labels = labels;
      return { config: c, comment: `LABEL ${parts.join(" ")}` };
    }
    case "maintainer":
      return { config: c, comment: `MAINTAINER ${ins.value}` };
    case "user":
      c.User = word(ins.value);
      return { config: c, comment: `USER ${c.User}` };
    case "stopsignal":
      c.StopSignal = word(ins.value);
      return { config: c, comment: `STOPSIGNAL ${c.StopSignal}` };
    case "onbuild":
      c.OnBuild = [...(c.OnBuild ?? []), ins.value];
      return { config: c, comment: `ONBUILD ${ins.value}` };
    case "expose": {
      const ports = { ...(c.ExposedPorts ?? {}) };
      const words = processWords(ins.ports, env, escape);
      for (const p of words) {
        const [range, proto = "tcp"] = p.split("/");
        if (!["tcp", "udp", "sctp"].includes(proto.toLowerCase())) throw new InvalidArgumentError(`Invalid proto: ${proto}`);
        const [lo, hi = lo] = range.split("-").map((n) => Number(n));
        if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new InvalidArgumentError(`Invalid containerPort: ${range}`);
        for (let n = lo; n <= hi; n++) ports[`${n}/${proto.toLowerCase()}`] = {};
      }
      c.ExposedPorts = ports;
      return { config: c, comment: `EXPOSE ${words.join(" ")}` };
    }
    case "volume": {
      const vols = { ...(c.Volumes ?? {}) };
      const list = ins.json ?? processWords(ins.raw, env, escape);
      for (const v of list) {
        if (v.trim() === "") throw new InvalidArgumentError("VOLUME specified can not be an empty string");
        vols[v] = {};
      }
      c.Volumes = vols;
      return { config: c, comment: `VOLUME [${list.join(" ")}]` };
    }
    case "cmd":
    case "entrypoint": {
      const cmd = "json" in ins.form ? ins.form.json : [...shellOf(c), ins.form.shell];
      if (ins.kind === "cmd") c.Cmd = cmd;
      else {
        c.Entrypoint = cmd;
        // An ENTRYPOINT resets the CMD inherited from the base image, as in Docker.
        if (!stage.cmdSet) c.Cmd = null;
      }
      if (ins.kind === "cmd") stage.cmdSet = true;
      if ("shell" in ins.form) c.ArgsEscaped = true;
      return { config: c, comment: `${ins.kind.toUpperCase()} ${goQuoteList(cmd)}` };
    }
    case "shell":
      c.Shell = ins.shell;
      return { config: c, comment: `SHELL [${ins.shell.join(" ")}]` };
    case "healthcheck": {
      if (ins.none) c.Healthcheck = { Test: ["NONE"] };
      else {
        const form = ins.form!;
        const test = "json" in form ? form.json : ["CMD-SHELL", form.shell];
        const retries = ins.options.retries !== undefined ? Number(ins.options.retries) : undefined;
        c.Healthcheck = {
          Test: test,
          ...(ins.options.interval ? { Interval: parseDuration(ins.options.interval, "interval") } : {}),
          ...(ins.options.timeout ? { Timeout: parseDuration(ins.options.timeout, "timeout") } : {}),
          ...(ins.options["start-period"] ? { StartPeriod: parseDuration(ins.options["start-period"], "start-period") } : {}),
          ...(retries !== undefined ? { Retries: retries } : {}),
        };
      }
      return { config: c, comment: `HEALTHCHECK ${JSON.stringify(c.Healthcheck)}` };
    }
  }
  throw new InvalidArgumentError(`not a metadata instruction: ${ins.kind}`);
}
