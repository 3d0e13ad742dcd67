import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { promises as fs, existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { api, run, waitFor, BUSYBOX_TAR, WHARF } from "../../helpers/daemon.js";
import { copyExample, exampleFiles, expectOk, removeDir } from "./compose-helpers.js";

// `wharf compose` reaches the engine only through the Engine API: the same
// example app against Debian's dockerd 20.10, started privately here (own
// data-root, exec-root, socket, pidfile, bridge, cgroup parent, no iptables).
const id = randomBytes(3).toString("hex");
const base = `/tmp/wcd-${id}`;
const socket = `/run/wcd-${id}.sock`;
const execRoot = `/run/wcd-${id}`;
const bridge = `wcd${id}`;
const cgroupParent = `/wcd-${id}`;
const env = { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: `${base}/config` };
let dockerd: ChildProcess | undefined;
let skipWhy: string | undefined;
let dir: string | undefined;

function quiet(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: "ignore" });
  } catch {
    /* already gone */
  }
}

before(async () => {
  if (!existsSync("/usr/sbin/dockerd")) {
    skipWhy = "dockerd is not installed (Debian package docker.io, scripts/apt/compose.txt)";
    return;
  }
  await fs.mkdir(`${base}/config`, { recursive: true });
  // dockerd's --bridge names an existing bridge: a private one on a link-local /24 nobody else uses
  execFileSync("ip", ["link", "add", bridge, "type", "bridge"]);
  execFileSync("ip", ["addr", "add", `169.254.${(parseInt(id, 16) % 200) + 20}.1/24`, "dev", bridge]);
  execFileSync("ip", ["link", "set", bridge, "up"]);
  const log = await fs.open(`${base}/dockerd.log`, "a");
  dockerd = spawn("dockerd", ["--data-root", `${base}/root`, "--exec-root", execRoot, "--pidfile", `${base}/dockerd.pid`, "-H", env.DOCKER_HOST, "--bridge", bridge,
    "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--cgroup-parent", cgroupParent, "--storage-driver", "overlay2"], { stdio: ["ignore", log.fd, log.fd] });
  await log.close();
  const proc = dockerd;
  try {
    await waitFor("dockerd to answer /_ping", async () => {
      if (proc.exitCode !== null) throw new Error(`dockerd exited: ${(await fs.readFile(`${base}/dockerd.log`, "utf8")).slice(-600)}`);
      return (await api(socket, "GET", "/_ping").catch(() => undefined))?.status === 200;
    }, 60_000);
  } catch (err) {
    skipWhy = `dockerd cannot start here: ${(err as Error).message}`;
    return;
  }
  expectOk(await run("docker", ["import", "-c", 'CMD ["sh"]', BUSYBOX_TAR, "busybox:latest"], { env }), "import busybox into dockerd");
});

after(async () => {
  if (dir) await run(WHARF, ["compose", ...exampleFiles(dir), "-p", "ondockerd", "down", "-v", "-t", "1"], { env }).catch(() => undefined);
  if (dockerd && dockerd.exitCode === null) {
    const gone = new Promise((r) => dockerd!.once("exit", r));
    dockerd.kill("SIGTERM");
    const t = setTimeout(() => dockerd!.kill("SIGKILL"), 30_000);
    await gone;
    clearTimeout(t);
  }
  const mounts = (await fs.readFile("/proc/self/mountinfo", "utf8")).split("\n").map((l) => l.split(" ")[4]).filter((m) => m && (m.startsWith(base) || m.startsWith(execRoot)));
  for (const m of mounts.reverse()) quiet("umount", ["-l", m]);
  quiet("ip", ["link", "delete", bridge]);
  for (const ctrl of await fs.readdir("/sys/fs/cgroup").catch(() => [] as string[])) await fs.rm(`/sys/fs/cgroup/${ctrl}${cgroupParent}`, { recursive: false, force: true }).catch(() => undefined);
  await fs.rm(base, { recursive: true, force: true }).catch(() => undefined);
  await fs.rm(execRoot, { recursive: true, force: true }).catch(() => undefined);
  await fs.rm(socket, { force: true });
  if (dir) await removeDir(dir);
});

test("wharf compose runs the example app on dockerd 20.10", async (t) => {
  if (skipWhy) return t.skip(skipWhy);
  dir = await copyExample();
  const c = (args: string[]) => run(WHARF, ["compose", ...exampleFiles(dir!), "-p", "ondockerd", ...args], { env: { ...env, ROCKETCHAT_PORT: "0" }, timeoutMs: 180_000 });
  expectOk(await c(["up", "-d", "--wait"]), "up -d --wait on dockerd");
  const ps = expectOk(await c(["ps", "--format", "{{.Name}} {{.State}}"]), "ps").stdout.trim().split("\n").sort();
  assert.deepEqual(ps, ["ondockerd-hubot-1 running", "ondockerd-mongo-1 running", "ondockerd-rocketchat-1 running"]);
  assert.match(expectOk(await c(["exec", "-T", "hubot", "wget", "-q", "-O", "-", "http://chat:3000/"]), "exec").stdout, /replica set rs0/);
  const again = expectOk(await c(["up", "-d"]), "second up");
  assert.doesNotMatch(again.stderr, /Recreate/, "a second up keeps unchanged containers on dockerd too");
  expectOk(await c(["down", "-v", "-t", "1"]), "down -v");
  const left = expectOk(await run("docker", ["ps", "-aq", "--filter", "label=com.docker.compose.project=ondockerd"], { env }), "ps").stdout.trim();
  assert.equal(left, "");
  const nets = expectOk(await run("docker", ["network", "ls", "-q", "--filter", "label=com.docker.compose.project=ondockerd"], { env }), "network ls").stdout.trim();
  assert.equal(nets, "");
});
