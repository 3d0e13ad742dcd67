import type { CommandModule } from "../../context.js";

/** docker compose v2's subcommands, each loaded on demand. */
interface Entry {
  load: () => Promise<CommandModule>;
  short: string;
}

export const COMPOSE_COMMANDS: Record<string, Entry> = {
  build: { load: () => import("./build.js"), short: "Build or rebuild services" },
  config: { load: () => import("./config.js"), short: "Parse, resolve and render compose file in canonical format" },
  cp: { load: () => import("./cp.js"), short: "Copy files/folders between a service container and the local filesystem" },
  create: { load: () => import("./create.js"), short: "Creates containers for a service" },
  down: { load: () => import("./down.js"), short: "Stop and remove containers, networks" },
  events: { load: () => import("./events.js"), short: "Receive real time events from containers" },
  exec: { load: () => import("./exec.js"), short: "Execute a command in a running container" },
  images: { load: () => import("./images.js"), short: "List images used by the created containers" },
  "install-plugin": { load: () => import("./install-plugin.js"), short: "Install wharf as the docker CLI's compose plugin" },
  kill: { load: () => import("./simple-verbs.js").then((m) => m.kill), short: "Force stop service containers" },
  logs: { load: () => import("./logs.js"), short: "View output from containers" },
  ls: { load: () => import("./ls.js"), short: "List running compose projects" },
  pause: { load: () => import("./simple-verbs.js").then((m) => m.pause), short: "Pause services" },
  port: { load: () => import("./port.js"), short: "Print the public port for a port binding" },
  ps: { load: () => import("./ps.js"), short: "List containers" },
  pull: { load: () => import("./pull.js"), short: "Pull service images" },
  push: { load: () => import("./push.js"), short: "Push service images" },
  restart: { load: () => import("./simple-verbs.js").then((m) => m.restart), short: "Restart service containers" },
  rm: { load: () => import("./rm.js"), short: "Removes stopped service containers" },
  run: { load: () => import("./run.js"), short: "Run a one-off command on a service" },
  start: { load: () => import("./start.js"), short: "Start services" },
  stop: { load: () => import("./stop.js"), short: "Stop services" },
  top: { load: () => import("./top.js"), short: "Display the running processes" },
  unpause: { load: () => import("./simple-verbs.js").then((m) => m.unpause), short: "Unpause services" },
  up: { load: () => import("./up.js"), short: "Create and start containers" },
  version: { load: () => import("./version.js"), short: "Show the Docker Compose version information" },
};
