import type { CliIo } from "../../context.js";
import { parseGlobal } from "../../main.js";
import { COMPOSE_VERSION } from "../../../compose/planner/labels.js";

/**
 * The docker CLI plugin protocol: `docker-compose docker-cli-plugin-metadata`
 * answers the plugin's metadata; `docker [global flags] compose …` runs the
 * plugin with the docker CLI's whole argv (global flags, then "compose").
 * Called without "compose" (as a standalone docker-compose), the
 * arguments are compose's own. Returns wharf's argv, or undefined when
 * the call was answered here.
 */
export function pluginArgv(argv: string[], io: CliIo): string[] | undefined {
  if (argv[0] === "docker-cli-plugin-metadata") {
    io.stdout.write(`${JSON.stringify({ SchemaVersion: "0.1.0", Vendor: "wharf", Version: `v${COMPOSE_VERSION}-wharf`, ShortDescription: "Docker Compose (wharf)" }, null, 2)}\n`);
    return undefined;
  }
  try {
    const { opts, rest } = parseGlobal(argv);
    if (rest[0] === "compose") {
      const globals = [...(opts.host ? ["-H", opts.host] : []), ...(opts.configDir ? ["--config", opts.configDir] : []), ...(opts.debug ? ["-D"] : [])];
      return [...globals, ...rest];
    }
  } catch {
    /* not docker's global flags: compose's own */
  }
  return ["compose", ...argv];
}
