import { WharfError } from "../../lib/errors.js";
import type { ImageConfig } from "../../image/image-config.js";

/** What POST /build asks for (query parameters, decoded by the route). */
export interface BuildOptions {
  dockerfile: string;
  tags: string[];
  target?: string;
  noCache: boolean;
  pull: boolean;
  quiet: boolean;
  /** Remove intermediate containers after a successful step (default true). */
  rm: boolean;
  /** Remove them even after a failed step. */
  forceRm: boolean;
  buildArgs: Record<string, string | null>;
  labels: Record<string, string>;
  networkMode?: string;
  extraHosts: string[];
}

/** One JSON message of the build stream: `{"stream"}`, `{"aux"}`. */
export type BuildMessage = { stream: string } | { aux: { ID: string } };
export type BuildOutput = (m: BuildMessage) => void;

/** A failed RUN: Docker's message and the command's exit code (the CLI exits with it). */
export class BuildError extends WharfError {
  constructor(message: string, readonly code?: number) {
    super(message);
  }
}

/** The full config shape Docker's classic builder writes into images. */
export type RunConfig = ImageConfig & Record<string, unknown>;

export function fullConfig(c: ImageConfig = {}): RunConfig {
  return {
    Hostname: "", Domainname: "", User: c.User ?? "", AttachStdin: false, AttachStdout: false, AttachStderr: false,
    ...(c.ExposedPorts && Object.keys(c.ExposedPorts).length ? { ExposedPorts: c.ExposedPorts } : {}),
    Tty: false, OpenStdin: false, StdinOnce: false,
    Env: c.Env ?? null, Cmd: c.Cmd ?? null,
    ...(c.Healthcheck ? { Healthcheck: c.Healthcheck } : {}),
    ...(c.ArgsEscaped ? { ArgsEscaped: true } : {}),
    Image: (c as RunConfig).Image ?? "",
    Volumes: c.Volumes ?? null, WorkingDir: c.WorkingDir ?? "", Entrypoint: c.Entrypoint ?? null,
    OnBuild: c.OnBuild ?? null, Labels: c.Labels ?? null,
    ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    ...(c.Shell ? { Shell: c.Shell } : {}),
  };
}
