import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs, existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const WHARF = path.join(REPO, "bin", "wharf");
export const BUSYBOX_TAR = path.join(REPO, "build", "busybox.tar");

export function uniqueName(prefix = "t"): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Wait for a condition, polling; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = any>(): T;
}

/** A raw Engine API request over the daemon's unix socket. */
export function api(socketPath: string, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
    const req = http.request(
      { socketPath, method, path: urlPath, headers: { ...(payload ? { "Content-Type": "application/json", "Content-Length": payload.length } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run a command with a bounded time; never inherits the test's stdin. */
export function run(cmd: string, args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, { env: { ...process.env, ...opts.env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/**
 * A private wharf daemon for one test file: its own data-root, exec-root,
 * socket, pidfile and cgroup parent, seeded with busybox:latest. `kill9` and
 * `restart` simulate a crash; `stop` cleans everything up.
 */
export class TestDaemon {
  readonly id = randomBytes(3).toString("hex");
  readonly base = `/tmp/wharf-test-${this.id}`;
  readonly dataRoot = `${this.base}/root`;
  /** Short: unix socket paths under it must stay below 108 bytes. */
  readonly execRoot = `/run/wt-${this.id}`;
  readonly socket = `/run/wt-${this.id}.sock`;
  readonly pidfile = `${this.base}/wharf.pid`;
  readonly cgroupParent = `/wharf-test-${this.id}`;
  readonly logFile = `${this.base}/daemon.log`;
  proc?: ChildProcess;
  /** A command the daemon runs under (e.g. `ip netns exec NS`): the daemon keeps its PID (the wrapper execs it). */
  wrap: string[] = [];
  /** How long start() waits for /_ping (a loaded machine needs more for several daemons at once). */
  startTimeoutMs = 60_000; // a loaded 2-core machine shared by several suites can take tens of seconds

  get host(): string {
    return `unix://${this.socket}`;
  }

  /** Environment for the docker CLI and wharf's CLI pointing at this daemon. */
  get env(): Record<string, string> {
    return { DOCKER_HOST: this.host, DOCKER_CONFIG: `${this.base}/docker-config` };
  }

  /** The daemon's nftables table (`ip wharf_<hash of the data-root>`). */
  get nftTable(): string {
    let h = 0;
    for (const ch of path.resolve(this.dataRoot)) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    return `wharf_${h.toString(16)}`;
  }

  /** The /16 this daemon's bridge and networks come from (unless the test passes its own pool). */
  readonly addressPoolBase = `10.${64 + (randomBytes(1)[0] % 136)}.0.0/16`;

  /** Each test daemon gets its own default bridge (its subnet is picked free at start), unless the test names one. */
  readonly bridge = `wt${this.id}`;

  async start(extraArgs: string[] = []): Promise<void> {
    if (!extraArgs.some((a) => a === "--bridge" || a === "-b" || a.startsWith("--bridge="))) extraArgs = ["--bridge", this.bridge, ...extraArgs];
    // Docker's default pools hold 31 subnets: a machine running many test daemons at once ran out.
    // Each test daemon draws its networks from a /16 of its own (10.64-10.199; 10.200+ is for tests' explicit subnets).
    if (!extraArgs.some((a) => a.startsWith("--default-address-pool"))) extraArgs = ["--default-address-pool", `base=${this.addressPoolBase},size=24`, ...extraArgs];
    await fs.mkdir(this.base, { recursive: true });
    await fs.mkdir(`${this.base}/docker-config`, { recursive: true });
    const log = await fs.open(this.logFile, "a");
    const [cmd, ...pre] = [...this.wrap, process.execPath];
    this.proc = spawn(
      cmd,
      [...pre, WHARF, "daemon", "-H", this.host, "--data-root", this.dataRoot, "--exec-root", this.execRoot, "--pidfile", this.pidfile, "--cgroup-parent", this.cgroupParent, ...extraArgs],
      { stdio: ["ignore", log.fd, log.fd], detached: false },
    );
    await log.close();
    const proc = this.proc;
    let exited = false;
    proc.once("exit", () => (exited = true));
    await waitFor(`daemon ${this.id} to answer /_ping (log: ${this.logFile})`, async () => {
      if (exited) throw new Error(`daemon exited: ${await fs.readFile(this.logFile, "utf8")}`);
      return (await api(this.socket, "GET", "/_ping")).status === 200;
    }, this.startTimeoutMs);
  }

  async seedBusybox(): Promise<void> {
    if (!existsSync(BUSYBOX_TAR)) throw new Error(`${BUSYBOX_TAR} is missing: run scripts/setup.sh`);
    const tar = await fs.readFile(BUSYBOX_TAR);
    const changes = encodeURIComponent('CMD ["sh"]');
    const r = await api(this.socket, "POST", `/images/create?fromSrc=-&repo=busybox&tag=latest&changes=${changes}`, tar, { "Content-Type": "application/x-tar" });
    if (r.status !== 200 || r.body.includes("errorDetail")) throw new Error(`seeding busybox failed: ${r.status} ${r.body}`);
  }

  /** SIGKILL the daemon (containers and their monitors keep running). */
  async kill9(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once("exit", r));
    p.kill("SIGKILL");
    await gone;
  }

  /** SIGTERM the daemon and wait for it to exit (a clean shutdown; state stays for a restart). */
  async terminate(): Promise<number | null> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return p?.exitCode ?? null;
    const gone = new Promise<number | null>((r) => p.once("exit", (code) => r(code)));
    p.kill("SIGTERM");
    const t = setTimeout(() => p.kill("SIGKILL"), 30_000);
    const code = await gone;
    clearTimeout(t);
    return code;
  }

  /** Shut down and remove everything the daemon made. */
  async stop(): Promise<void> {
    await this.terminate();
    await cleanupLeftovers(this);
  }
}

/** Remove whatever a test daemon left: monitors, mounts, cgroups, dirs. */
async function cleanupLeftovers(d: TestDaemon): Promise<void> {
  const { execFileSync } = await import("node:child_process");
  try {
    execFileSync("sh", ["-c", `pkill -9 -f 'wharf-shim.*${d.execRoot}' ; true`]);
    const mounts = (await fs.readFile("/proc/self/mountinfo", "utf8")).split("\n").map((l) => l.split(" ")[4]).filter((m) => m && (m.startsWith(d.base) || m.startsWith(d.execRoot)));
    for (const m of mounts.reverse()) execFileSync("umount", ["-l", m], { stdio: "ignore" });
  } catch {
    /* best effort */
  }
  await cleanupNetworking(d).catch(() => undefined);
  // Container processes whose monitor is gone (a test killed it) still sit in the daemon's cgroups: end them by cgroup.
  for (const ctrl of ["pids", "memory", "unified", ""]) {
    const dir = `/sys/fs/cgroup/${ctrl ? `${ctrl}` : ""}${d.cgroupParent}`.replace("//", "/");
    for (const sub of await fs.readdir(dir).catch(() => [] as string[])) {
      const procs = await fs.readFile(`${dir}/${sub}/cgroup.procs`, "utf8").catch(() => "");
      for (const pid of procs.split("\n").filter(Boolean)) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          /* gone */
        }
      }
    }
  }
  if (d.cgroupParent) await new Promise((r) => setTimeout(r, 100));
  for (const ctrl of await fs.readdir("/sys/fs/cgroup").catch(() => [] as string[])) {
    const dir = `/sys/fs/cgroup/${ctrl}${d.cgroupParent}`;
    for (const sub of await fs.readdir(dir).catch(() => [] as string[])) await fs.rmdir(`${dir}/${sub}`).catch(() => undefined);
    await fs.rmdir(dir).catch(() => undefined);
  }
  await fs.rm(d.base, { recursive: true, force: true }).catch(() => undefined);
  await fs.rm(d.execRoot, { recursive: true, force: true }).catch(() => undefined);
  await fs.rm(d.socket, { force: true });
}

/** Bridges, netns and the nftables table a test daemon made (the daemon, like dockerd, keeps them across restarts). */
async function cleanupNetworking(d: TestDaemon): Promise<void> {
  const { execFileSync } = await import("node:child_process");
  const quiet = (cmd: string, args: string[]) => {
    try {
      execFileSync(cmd, args, { stdio: "ignore" });
    } catch {
      /* already gone */
    }
  };
  const netDir = `${d.dataRoot}/network`;
  for (const f of await fs.readdir(`${netDir}/sandboxes`).catch(() => [] as string[])) {
    const sb = JSON.parse(await fs.readFile(`${netDir}/sandboxes/${f}`, "utf8").catch(() => "{}"));
    for (const e of sb.endpoints ?? []) quiet("ip", ["link", "delete", e.hostVeth]);
    if (sb.netns) quiet("ip", ["netns", "delete", sb.netns]);
  }
  for (const f of await fs.readdir(`${netDir}/networks`).catch(() => [] as string[])) {
    const n = JSON.parse(await fs.readFile(`${netDir}/networks/${f}`, "utf8").catch(() => "{}"));
    if (n.bridge && (n.ownsBridge || n.bridge === d.bridge)) quiet("ip", ["link", "delete", n.bridge]);
  }
  quiet("nft", ["delete", "table", "ip", d.nftTable]);
  quiet("nft", ["delete", "table", "ip6", d.nftTable]);
}

export async function startTestDaemon(extraArgs: string[] = []): Promise<TestDaemon> {
  const d = new TestDaemon();
  try {
    await d.start(extraArgs);
    await d.seedBusybox();
  } catch (err) {
    await d.stop(); // a daemon too slow to answer must not outlive the test that gave up on it
    throw err;
  }
  return d;
}
