import { copyRaw, demuxStream } from "../../client/stdcopy.js";
import type { ComposeContext } from "./context.js";
import type { ProjectContainer } from "./observed.js";

/**
 * Several containers' logs as one stream of lines, each tagged with the
 * container's short name (`web-1`); the CLI adds prefixes and colours.
 * Ends when every stream ends (with `follow`, when the containers stop).
 */
export interface LogLine {
  /** `<service>-<n>`, what docker compose prints before `|`. */
  source: string;
  stream: "stdout" | "stderr";
  text: string;
}

export interface LogOptions {
  follow?: boolean;
  tail?: string;
  since?: string;
  until?: string;
  timestamps?: boolean;
}

export function shortName(c: ProjectContainer, project: string): string {
  const prefix = `${project}-`;
  return c.name.startsWith(prefix) ? c.name.slice(prefix.length) : c.name;
}

export async function streamLogs(ctx: ComposeContext, containers: ProjectContainer[], o: LogOptions, sink: (l: LogLine) => void, signal?: AbortSignal): Promise<void> {
  await Promise.all(containers.map((c) => one(ctx, c, o, sink, signal)));
}

async function one(ctx: ComposeContext, c: ProjectContainer, o: LogOptions, sink: (l: LogLine) => void, signal?: AbortSignal): Promise<void> {
  const source = shortName(c, ctx.project.name);
  const info = await ctx.client.containerInspect(c.Id);
  const tty = (info.Config as { Tty?: boolean } | undefined)?.Tty === true;
  const res = await ctx.client.containerLogs(c.Id, { stdout: true, stderr: true, follow: o.follow, tail: o.tail ?? "all", since: o.since, until: o.until, timestamps: o.timestamps });
  const abort = () => res.destroy();
  signal?.addEventListener("abort", abort, { once: true });
  const partial = { stdout: "", stderr: "" };
  const push = (stream: "stdout" | "stderr") => (b: Buffer) => {
    const text = partial[stream] + b.toString("utf8");
    const lines = text.split("\n");
    partial[stream] = lines.pop() as string;
    for (const l of lines) sink({ source, stream, text: l.replace(/\r$/, "") });
  };
  try {
    if (tty) await copyRaw(res, push("stdout"));
    else await demuxStream(res, { stdout: push("stdout"), stderr: push("stderr") });
  } catch {
    /* aborted or the container went away */
  } finally {
    signal?.removeEventListener("abort", abort);
  }
  for (const stream of ["stdout", "stderr"] as const) if (partial[stream]) sink({ source, stream, text: partial[stream] });
}
