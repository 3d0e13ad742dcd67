import type { CommandModule } from "./context.js";

/**
 * Which module implements which command, loaded with dynamic import() only
 * when invoked so `wharf <cmd>` starts fast. Top-level shortcuts (`ps`,
 * `run`, `rmi`, ...) resolve to the same modules as their management form.
 */
type Loader = () => Promise<CommandModule>;
interface Entry {
  load: Loader;
  short: string;
  hidden?: boolean;
}

const c = {
  run: { load: () => import("./commands/container/run.js"), short: "Create and run a new container from an image" },
  create: { load: () => import("./commands/container/create.js"), short: "Create a new container" },
  start: { load: () => import("./commands/container/start.js"), short: "Start one or more stopped containers" },
  stop: { load: () => import("./commands/container/stop.js"), short: "Stop one or more running containers" },
  kill: { load: () => import("./commands/container/kill.js"), short: "Kill one or more running containers" },
  restart: { load: () => import("./commands/container/restart.js"), short: "Restart one or more containers" },
  rm: { load: () => import("./commands/container/rm.js"), short: "Remove one or more containers" },
  ls: { load: () => import("./commands/container/ps.js"), short: "List containers" },
  logs: { load: () => import("./commands/container/logs.js"), short: "Fetch the logs of a container" },
  wait: { load: () => import("./commands/container/wait.js"), short: "Block until one or more containers stop, then print their exit codes" },
  rename: { load: () => import("./commands/container/rename.js"), short: "Rename a container" },
  inspect: { load: () => import("./commands/container/inspect.js"), short: "Display detailed information on one or more containers" },
  prune: { load: () => import("./commands/container/prune.js"), short: "Remove all stopped containers" },
  exec: { load: () => import("./commands/container/exec.js"), short: "Execute a command in a running container" },
  attach: { load: () => import("./commands/container/attach.js"), short: "Attach local standard input, output, and error streams to a running container" },
  pause: { load: () => import("./commands/container/pause.js"), short: "Pause all processes within one or more containers" },
  unpause: { load: () => import("./commands/container/unpause.js"), short: "Unpause all processes within one or more containers" },
  top: { load: () => import("./commands/container/top.js"), short: "Display the running processes of a container" },
  port: { load: () => import("./commands/container/port.js"), short: "List port mappings or a specific mapping for the container" },
  cp: { load: () => import("./commands/container/cp.js"), short: "Copy files/folders between a container and the local filesystem" },
  diff: { load: () => import("./commands/container/diff.js"), short: "Inspect changes to files or directories on a container's filesystem" },
  export: { load: () => import("./commands/container/export.js"), short: "Export a container's filesystem as a tar archive" },
  stats: { load: () => import("./commands/container/stats.js"), short: "Display a live stream of container(s) resource usage statistics" },
  update: { load: () => import("./commands/container/update.js"), short: "Update configuration of one or more containers" },
} satisfies Record<string, Entry>;

const v = {
  create: { load: () => import("./commands/volume/create.js"), short: "Create a volume" },
  ls: { load: () => import("./commands/volume/ls.js"), short: "List volumes" },
  inspect: { load: () => import("./commands/volume/inspect.js"), short: "Display detailed information on one or more volumes" },
  rm: { load: () => import("./commands/volume/rm.js"), short: "Remove one or more volumes" },
  prune: { load: () => import("./commands/volume/prune.js"), short: "Remove unused local volumes" },
} satisfies Record<string, Entry>;

const i = {
  ls: { load: () => import("./commands/image/ls.js"), short: "List images" },
  rm: { load: () => import("./commands/image/rm.js"), short: "Remove one or more images" },
  tag: { load: () => import("./commands/image/tag.js"), short: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE" },
  import: { load: () => import("./commands/image/import.js"), short: "Import the contents from a tarball to create a filesystem image" },
  inspect: { load: () => import("./commands/image/inspect.js"), short: "Display detailed information on one or more images" },
  prune: { load: () => import("./commands/image/prune.js"), short: "Remove unused images" },
  pull: { load: () => import("./commands/image/pull.js"), short: "Download an image from a registry" },
  push: { load: () => import("./commands/image/push.js"), short: "Upload an image to a registry" },
  save: { load: () => import("./commands/image/save.js"), short: "Save one or more images to a tar archive (streamed to STDOUT by default)" },
  load: { load: () => import("./commands/image/load.js"), short: "Load an image from a tar archive or STDIN" },
  history: { load: () => import("./commands/image/history.js"), short: "Show the history of an image" },
  search: { load: () => import("./commands/image/search.js"), short: "Search Docker Hub for images" },
  build: { load: () => import("./commands/image/build.js"), short: "Build an image from a Dockerfile" },
} satisfies Record<string, Entry>;

const s = {
  info: { load: () => import("./commands/system/info.js"), short: "Display system-wide information" },
  version: { load: () => import("./commands/system/version.js"), short: "Show the Docker version information" },
  inspect: { load: () => import("./commands/system/inspect.js"), short: "Return low-level information on Docker objects" },
  events: { load: () => import("./commands/system/events.js"), short: "Get real time events from the server" },
  login: { load: () => import("./commands/system/login.js"), short: "Authenticate to a registry" },
  logout: { load: () => import("./commands/system/logout.js"), short: "Log out from a registry" },
  commit: { load: () => import("./commands/container/commit.js"), short: "Create a new image from a container's changes" },
} satisfies Record<string, Entry>;

const n = {
  create: { load: () => import("./commands/network/create.js"), short: "Create a network" },
  ls: { load: () => import("./commands/network/ls.js"), short: "List networks" },
  inspect: { load: () => import("./commands/network/inspect.js"), short: "Display detailed information on one or more networks" },
  rm: { load: () => import("./commands/network/rm.js"), short: "Remove one or more networks" },
  prune: { load: () => import("./commands/network/prune.js"), short: "Remove all unused networks" },
  connect: { load: () => import("./commands/network/connect.js"), short: "Connect a container to a network" },
  disconnect: { load: () => import("./commands/network/disconnect.js"), short: "Disconnect a container from a network" },
} satisfies Record<string, Entry>;

const ctxs = {
  create: { load: () => import("./commands/context/create.js"), short: "Create a context" },
  export: { load: () => import("./commands/context/export.js"), short: "Export a context to a tar archive FILE or a tar stream on STDOUT." },
  import: { load: () => import("./commands/context/import.js"), short: "Import a context from a tar or zip file" },
  inspect: { load: () => import("./commands/context/inspect.js"), short: "Display detailed information on one or more contexts" },
  ls: { load: () => import("./commands/context/ls.js"), short: "List contexts" },
  rm: { load: () => import("./commands/context/rm.js"), short: "Remove one or more contexts" },
  show: { load: () => import("./commands/context/show.js"), short: "Print the name of the current context" },
  update: { load: () => import("./commands/context/update.js"), short: "Update a context" },
  use: { load: () => import("./commands/context/use.js"), short: "Set the current docker context" },
} satisfies Record<string, Entry>;

export const GROUPS: Record<string, { short: string; commands: Record<string, Entry>; aliases: Record<string, string> }> = {
  container: {
    short: "Manage containers",
    commands: { cp: c.cp, diff: c.diff, export: c.export, stats: c.stats, update: c.update, port: c.port, attach: c.attach, exec: c.exec, pause: c.pause, unpause: c.unpause, top: c.top, create: c.create, inspect: c.inspect, kill: c.kill, logs: c.logs, ls: c.ls, prune: c.prune, rename: c.rename, restart: c.restart, rm: c.rm, run: c.run, start: c.start, stop: c.stop, wait: c.wait },
    aliases: { ps: "ls", list: "ls", remove: "rm" },
  },
  image: {
    short: "Manage images",
    commands: { build: i.build, import: i.import, inspect: i.inspect, ls: i.ls, prune: i.prune, pull: i.pull, push: i.push, save: i.save, load: i.load, history: i.history, rm: i.rm, tag: i.tag },
    aliases: { list: "ls", remove: "rm" },
  },
  network: {
    short: "Manage networks",
    commands: n,
    aliases: { list: "ls", remove: "rm" },
  },
  volume: {
    short: "Manage volumes",
    commands: v,
    aliases: { list: "ls", remove: "rm" },
  },
  system: {
    short: "Manage Docker",
    commands: {
      info: s.info, events: s.events,
      df: { load: () => import("./commands/system/df.js"), short: "Show docker disk usage" },
      prune: { load: () => import("./commands/system/prune.js"), short: "Remove all unused data" },
      "dial-stdio": { load: () => import("./commands/system/dial-stdio.js"), short: "Proxy the stdio stream to the daemon connection. Should not be invoked manually.", hidden: true },
    },
    aliases: {},
  },
  context: {
    short: "Manage contexts",
    commands: ctxs,
    aliases: { list: "ls", remove: "rm" },
  },
};

/** Top-level commands; a string value points at "group sub". */
export const TOP: Record<string, Entry | string> = {
  run: "container run",
  exec: "container exec",
  attach: "container attach",
  pause: "container pause",
  unpause: "container unpause",
  top: "container top",
  port: "container port",
  cp: "container cp",
  diff: "container diff",
  export: "container export",
  stats: "container stats",
  update: "container update",
  events: "system events",
  create: "container create",
  start: "container start",
  stop: "container stop",
  kill: "container kill",
  restart: "container restart",
  rm: "container rm",
  ps: "container ls",
  logs: "container logs",
  wait: "container wait",
  rename: "container rename",
  images: "image ls",
  rmi: "image rm",
  tag: "image tag",
  import: "image import",
  pull: "image pull",
  build: "image build",
  info: "system info",
  version: s.version,
  inspect: s.inspect,
  push: "image push",
  save: "image save",
  load: "image load",
  history: "image history",
  search: i.search,
  login: s.login,
  logout: s.logout,
  commit: s.commit,
  compose: { load: () => import("./commands/compose/index.js"), short: "Docker Compose" },
};

export interface Resolved {
  /** Path as invoked ("ps", "container ls"). */
  path: string;
  entry: Entry;
  rest: string[];
}

/** Resolve argv (after global flags) to a command entry; undefined when unknown. */
export function resolveCommand(argv: string[]): Resolved | { group: string } | undefined {
  const [first, second] = argv;
  const group = GROUPS[first];
  if (group) {
    if (second === undefined || second.startsWith("-")) return { group: first };
    const name = group.aliases[second] ?? second;
    const entry = group.commands[name];
    if (!entry) return undefined;
    return { path: `${first} ${second}`, entry, rest: argv.slice(2) };
  }
  const top = TOP[first];
  if (top === undefined) return undefined;
  if (typeof top === "string") {
    const [g, sub] = top.split(" ");
    return { path: first, entry: GROUPS[g].commands[sub], rest: argv.slice(1) };
  }
  return { path: first, entry: top, rest: argv.slice(1) };
}

export function groupHelp(prog: string, name: string): string {
  const g = GROUPS[name];
  const names = Object.keys(g.commands).filter((n) => !g.commands[n].hidden).sort();
  const width = Math.max(12, ...names.map((n) => n.length + 1));
  const lines = names.map((n) => `  ${n.padEnd(width)}${g.commands[n].short}`);
  return `Usage:  ${prog} ${name} COMMAND\n\n${g.short}\n\nCommands:\n${lines.join("\n")}\n\nRun '${prog} ${name} COMMAND --help' for more information on a command.\n`;
}
