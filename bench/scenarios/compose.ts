// `compose up -d` and `compose down` of the checked-in example app (examples/rocketchat):
// wharf compose on wharf, docker-compose 1.29 on dockerd, podman-compose on Podman.
// Images are built once in prepare, so the rows measure convergence: networks, volume,
// four containers, the healthy/completed waits, and the teardown.
import { promises as fs } from "node:fs";
import path from "node:path";
import { BASE, REPO } from "../engines/paths.js";
import type { Engine } from "../engines/engine.js";
import type { WharfEngine } from "../engines/wharf.js";
import YAML from "yaml";
import { must, runCmd, type Cmd } from "../lib/proc.js";
import { Unsupported, type Scenario } from "./scenario.js";

const PROJECT = "wbrc";
const PODMAN_PORT = 40000 + Math.floor(Math.random() * 20000);
const SERVICES = 4;

/** podman-compose exits 0 even when a container failed to start: count what up left behind. */
async function checkUp(e: Engine): Promise<void> {
  const r = await must(e.cli(["ps", "-a", "--filter", `label=com.docker.compose.project=${PROJECT}`, "--format", "{{.Names}}"]));
  const n = r.stdout.split("\n").filter(Boolean).length;
  if (n !== SERVICES) throw new Error(`compose up left ${n} containers of ${SERVICES}: ${r.stdout.trim()}`);
}

function dirOf(e: Engine): string {
  return path.join(BASE, `compose-${e.name}`, "rocketchat");
}

// Each engine's project network gets a subnet of its own: the shared machine's default pools can run out.
const SUBNET: Record<string, string> = { wharf: "10.253.1.0/24", dockerd: "10.253.2.0/24", podman: "10.253.3.0/24" };

function compose(e: Engine, args: string[]): Cmd {
  const files = ["-f", path.join(dirOf(e), "compose.yaml"), "-f", path.join(dirOf(e), "bench-network.yaml")];
  const base = e.cli([]);
  // an ephemeral host port; Podman refuses port 0, so it gets a fixed free-looking one of its own
  const env = { ...base.env, ROCKETCHAT_PORT: e.name === "podman" ? String(PODMAN_PORT) : "0" };
  if (e.name === "wharf") {
    const own = (e as WharfEngine).ownCli(["compose", ...files, "-p", PROJECT, ...args]);
    return { ...own, env: { ...own.env, ...env } };
  }
  if (e.name === "dockerd") return { cmd: "docker-compose", args: [...files, "-p", PROJECT, ...args], env: { ...env, COMPOSE_DOCKER_CLI_BUILD: "0", DOCKER_BUILDKIT: "0" } };
  return { cmd: "podman-compose", args: ["--podman-args", base.args.join(" "), ...files, "-p", PROJECT, ...args], env };
}

/**
 * podman-compose 1.0.3 fails on a service network given as a mapping (`botnet: {aliases: [chat]}`:
 * KeyError in assert_cnt_nets). Its copy lists the network plainly and the bot reaches the app by
 * service name instead of the alias: the same containers, networks and waits otherwise.
 */
async function withoutAliases(file: string): Promise<void> {
  const doc = YAML.parse(await fs.readFile(file, "utf8")) as { services: Record<string, { networks?: unknown; environment?: Record<string, string> }> };
  for (const svc of Object.values(doc.services)) {
    if (svc.networks && !Array.isArray(svc.networks)) svc.networks = Object.keys(svc.networks);
    if (svc.environment?.ROCKETCHAT_URL?.startsWith("chat:")) svc.environment.ROCKETCHAT_URL = svc.environment.ROCKETCHAT_URL.replace(/^chat:/, "rocketchat:");
  }
  await fs.writeFile(file, YAML.stringify(doc));
}

export function composeScenario(): Scenario {
  return {
    id: "compose",
    rows: [
      { id: "compose-up", title: "compose up -d of the example app (wharf compose; docker-compose 1.29; podman-compose)", unit: "ms", target: { op: "<=", value: 1500 } },
      { id: "compose-down", title: "compose down of the example app", unit: "ms" },
    ],
    rounds: 5,
    budgetMs: 150_000,
    async prepare(e) {
      const tool = e.name === "dockerd" ? "docker-compose" : e.name === "podman" ? "podman-compose" : undefined;
      if (tool && (await runCmd({ cmd: "sh", args: ["-c", `command -v ${tool}`] })).code !== 0) throw new Unsupported(`${tool} is not installed`);
      await fs.rm(path.dirname(dirOf(e)), { recursive: true, force: true });
      await fs.mkdir(path.dirname(dirOf(e)), { recursive: true });
      await fs.cp(path.join(REPO, "examples", "rocketchat"), dirOf(e), { recursive: true });
      if (e.name === "podman") await withoutAliases(path.join(dirOf(e), "compose.yaml"));
      // Podman runs healthchecks from systemd timers: on a host without systemd a container with a
      // healthcheck cannot start ("unable to get systemd connection to add healthchecks"). Its
      // probe timer is disabled there; podman-compose 1.0.3 ignores depends_on conditions anyway.
      const noTimer = e.name === "podman" ? "services:\n  mongo:\n    healthcheck:\n      interval: disable\n" : "";
      await fs.writeFile(path.join(dirOf(e), "bench-network.yaml"), `${noTimer}networks:\n  botnet:\n    ipam:\n      config:\n        - subnet: ${SUBNET[e.name]}\n`);
      await must(compose(e, ["build"]), { timeoutMs: 180_000 });
      // one full cycle as the support probe (and to warm caches)
      await must(compose(e, ["up", "-d"]), { timeoutMs: 120_000 });
      await checkUp(e);
      await must(compose(e, ["down", "-v"]), { timeoutMs: 120_000 });
    },
    async measure(e) {
      const up = await must(compose(e, ["up", "-d"]), { timeoutMs: 120_000 });
      await checkUp(e);
      const down = await must(compose(e, ["down", "-v"]), { timeoutMs: 120_000 });
      return { "compose-up": up.ms, "compose-down": down.ms };
    },
    async cleanup(e) {
      await runCmd(compose(e, ["down", "-v", "--rmi", "local"]), { timeoutMs: 120_000 });
      await fs.rm(path.dirname(dirOf(e)), { recursive: true, force: true });
    },
  };
}
