import { existsSync, promises as fs } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { REPO, WHARF, run, uniqueName, type RunResult, type TestDaemon } from "../../helpers/daemon.js";

/**
 * A private /24 for a test project's network: on a machine shared by many
 * daemons the default address pools run out, and a project network
 * without a subnet then cannot be created.
 */
export function privateSubnet(): string {
  const b = randomBytes(2);
  return `10.${200 + (b[0] % 13)}.${b[1]}.0/24`; // 10.200-212: 10.213/16 is the swarm tests' hosts
}

/** The checked-in example app, copied to a fresh directory (its bind-mounted data dir lands there), plus `test-network.yaml` giving `botnet` a private subnet. */
export async function copyExample(name = "rocketchat"): Promise<string> {
  const dir = path.join("/tmp", uniqueName("wcx"), name);
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await fs.cp(path.join(REPO, "examples", name), dir, { recursive: true });
  await fs.writeFile(path.join(dir, "test-network.yaml"), `networks:\n  botnet:\n    ipam:\n      config:\n        - subnet: ${privateSubnet()}\n`);
  return dir;
}

/** `-f` arguments for the example: its own file and the test's network override. */
export function exampleFiles(dir: string): string[] {
  return ["-f", path.join(dir, "compose.yaml"), "-f", path.join(dir, "test-network.yaml")];
}

export async function writeProject(files: Record<string, string>): Promise<string> {
  const dir = path.join("/tmp", uniqueName("wcp"));
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
  return dir;
}

/** `wharf compose -f <dir>/compose.yaml [-f <dir>/test-network.yaml] …` against the test daemon. */
export function wharfCompose(d: TestDaemon, dir: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const files = existsSync(path.join(dir, "test-network.yaml")) ? exampleFiles(dir) : ["-f", path.join(dir, "compose.yaml")];
  return run(WHARF, ["compose", ...files, ...args], { env: { ...d.env, ...env }, timeoutMs: 120_000 });
}

export function expectOk(r: RunResult, what: string): RunResult {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** What the engine holds for a project: containers, networks and volumes carrying its label. */
export async function projectLeftovers(d: TestDaemon, project: string): Promise<string[]> {
  const label = `label=com.docker.compose.project=${project}`;
  const out: string[] = [];
  for (const args of [["ps", "-aq", "--filter", label], ["network", "ls", "-q", "--filter", label], ["volume", "ls", "-q", "--filter", label]]) {
    const r = await run("docker", args, { env: d.env });
    out.push(...r.stdout.split("\n").filter(Boolean).map((x) => `${args[0]}:${x}`));
  }
  return out;
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(path.dirname(dir).startsWith("/tmp/wcx-") ? path.dirname(dir) : dir, { recursive: true, force: true });
}
