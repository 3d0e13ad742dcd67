import { GROUPS, TOP } from "./registry.js";
import { PROG } from "./usage.js";

/** `wharf --help`: docker's top-level layout, listing what wharf implements. */
export function topHelp(): string {
  const row = (name: string, short: string) => `  ${name.padEnd(12)}${short}`;
  const shortOf = (name: string): string => {
    const t = TOP[name];
    if (typeof t !== "string") return t.short;
    const [g, sub] = t.split(" ");
    return GROUPS[g].commands[sub].short;
  };
  const common = ["run", "ps", "images", "pull", "info", "version"];
  const others = Object.keys(TOP).filter((n) => !common.includes(n)).sort();
  return [
    `Usage:  ${PROG} [OPTIONS] COMMAND`,
    "",
    "A self-sufficient runtime for containers",
    "",
    "Common Commands:",
    ...common.map((n) => row(n, shortOf(n))),
    "",
    "Management Commands:",
    ...Object.keys(GROUPS).sort().map((g) => row(g, GROUPS[g].short)),
    "",
    "Commands:",
    row("daemon", "Start the daemon"),
    ...others.map((n) => row(n, shortOf(n))),
    "",
    "Global Options:",
    "      --config string      Location of client config files (default \"~/.docker\")",
    "  -c, --context string     Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with \"docker context use\")",
    "  -D, --debug              Enable debug mode",
    "  -H, --host string        Daemon socket to connect to",
    "  -l, --log-level string   Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\") (default \"info\")",
    "      --tls                Use TLS; implied by --tlsverify",
    "      --tlscacert string   Trust certs signed only by this CA (default \"~/.docker/ca.pem\")",
    "      --tlscert string     Path to TLS certificate file (default \"~/.docker/cert.pem\")",
    "      --tlskey string      Path to TLS key file (default \"~/.docker/key.pem\")",
    "      --tlsverify          Use TLS and verify the remote",
    "  -v, --version            Print version information and quit",
    "",
    `Run '${PROG} COMMAND --help' for more information on a command.`,
    "",
  ].join("\n");
}
