/** The labels docker compose puts on what it creates; other compose clients read them. */
export const LABEL = {
  project: "com.docker.compose.project",
  service: "com.docker.compose.service",
  number: "com.docker.compose.container-number",
  oneoff: "com.docker.compose.oneoff",
  configHash: "com.docker.compose.config-hash",
  configFiles: "com.docker.compose.project.config_files",
  workingDir: "com.docker.compose.project.working_dir",
  envFile: "com.docker.compose.project.environment_file",
  dependsOn: "com.docker.compose.depends_on",
  version: "com.docker.compose.version",
  image: "com.docker.compose.image",
  network: "com.docker.compose.network",
  volume: "com.docker.compose.volume",
  replace: "com.docker.compose.replace",
} as const;

/** The docker compose release whose behaviour and labels wharf follows. */
export const COMPOSE_VERSION = "2.32.0";

export function projectFilter(project: string, extra: string[] = []): Map<string, string[]> {
  return new Map([["label", [`${LABEL.project}=${project}`, ...extra]]]);
}
