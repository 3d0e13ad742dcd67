import type { ContainerService } from "../containers/container-service.js";
import type { ImageService } from "../images/image-service.js";
import { DEFAULT_SHELL } from "./metadata.js";
import type { BuildOptions, RunConfig } from "./types.js";

/** One stage's evolving state while its instructions run. */
export interface StageState {
  /** Current image; undefined while the stage is still `FROM scratch` with nothing committed. */
  imageId?: string;
  config: RunConfig;
  /** ARGs declared in this stage, with their values (undefined: declared, no value). */
  args: Map<string, string | undefined>;
  stage: { cmdSet: boolean };
}

/** What every step of one build shares. */
export interface BuildCtx {
  cs: ContainerService;
  images: ImageService;
  opts: BuildOptions;
  contextDir: string;
  tmpDir: string;
  escape: string;
  /** After the first miss no later step can hit (its parent is new). */
  cacheBroken: boolean;
  say(text: string): void;
  /** A stage ended with this image (dockerd sends each as `{"aux":{"ID"}}`). */
  stageBuilt(id: string): void;
  shell(st: StageState): string[];
}

export function shellFor(st: StageState): string[] {
  return st.config.Shell && st.config.Shell.length ? st.config.Shell : DEFAULT_SHELL;
}

/** Variables visible to word expansion: the stage's ARG values, overridden by ENV. */
export function expansionEnv(st: StageState): Map<string, string> {
  const env = new Map<string, string>();
  for (const [k, v] of st.args) if (v !== undefined) env.set(k, v);
  for (const e of st.config.Env ?? []) {
    const i = e.indexOf("=");
    env.set(i < 0 ? e : e.slice(0, i), i < 0 ? "" : e.slice(i + 1));
  }
  return env;
}
