// A published port on 127.0.0.1 serving a small file (busybox httpd), loaded with wrk.
// Floor: the same httpd on the host, no container.
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import http from "node:http";
import net from "node:net";
import { randomBytes } from "node:crypto";
import { BASE } from "../engines/paths.js";
import { must, runCmd, waitFor } from "../lib/proc.js";
import { Unsupported, type Scenario } from "./scenario.js";
import type { Engine } from "../engines/engine.js";

const SERVE = "mkdir -p /www && echo hello-from-wharf-bench > /www/index.html && exec httpd -f -p 80 -h /www";

/** Time from `run -d -p` to the first byte of an answer on the published port (polled every 2 ms, bounded). */
async function timeToFirstByte(e: Engine, name: string, port: number): Promise<number> {
  const t0 = performance.now();
  const run = must(e.cli(["run", "-d", "--name", name, ...e.publishFlags(port, 80), "busybox", "sh", "-c", SERVE]));
  let failed: unknown;
  run.catch((err) => (failed = err));
  const deadline = t0 + 30_000;
  while (performance.now() < deadline) {
    if (failed) throw failed;
    if (await firstByte(port)) {
      const ms = performance.now() - t0;
      await run;
      return ms;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`port ${port} did not answer within 30 s of run -d`);
}

/** Resolves true on the first byte of an HTTP answer (any status), false on refusal/reset. */
function firstByte(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.setTimeout(1000, () => done(false));
    s.once("connect", () => s.write("GET /index.html HTTP/1.0\r\n\r\n"));
    s.once("data", () => done(true));
    s.once("error", () => done(false));
    s.once("end", () => done(false));
  });
}

function get(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/index.html", timeout: 1000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

async function wrk(port: number): Promise<number> {
  const r = await must({ cmd: "wrk", args: ["-t2", "-c16", "-d4s", `http://127.0.0.1:${port}/index.html`] }, { timeoutMs: 30_000 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1]);
  const errors = /Non-2xx|Socket errors/.exec(r.stdout);
  if (!Number.isFinite(rps) || errors) throw new Error(`wrk: ${r.stdout.trim().slice(-300)}`);
  return rps;
}

export function publishedPortScenario(): Scenario {
  const base = 20000 + Math.floor(Math.random() * 20000);
  const ports: Record<string, number> = { dockerd: base, podman: base + 1, wharf: base + 2, crun: base + 3 };
  // time-to-first-byte: a fresh container and port per engine and round
  const ttfbPort = (e: Engine, round: number) => base + 10 + round * 4 + ["dockerd", "podman", "wharf"].indexOf(e.name);
  const tag = randomBytes(3).toString("hex");
  const name = `wb-web-${tag}`;
  let hostHttpd: ChildProcess | undefined;
  return {
    id: "published-port",
    rows: [
      { id: "port", title: "published port, small file, `wrk -c16` on 127.0.0.1 (raw crun: httpd on the host)", unit: "req/s", target: { op: ">=", value: 3000 } },
      { id: "ttfb", title: "time to first byte on a published port after `run -d -p` (httpd in busybox)", unit: "ms" },
    ],
    rounds: 5,
    budgetMs: 90_000,
    async prepare(e) {
      const port = ports[e.name];
      await must(e.cli(["run", "-d", "--name", name, ...e.publishFlags(port, 80), "busybox", "sh", "-c", SERVE]));
      try {
        await waitFor(`port ${port} to answer`, () => get(port), 15_000, 100);
      } catch (err) {
        if (e.name === "wharf") throw new Unsupported(`published ports: ${String(err)}`);
        throw err;
      }
    },
    async measure(e, round) {
      const rps = await wrk(ports[e.name]);
      const fresh = `wb-ttfb-${tag}-${round}`;
      try {
        return { port: rps, ttfb: await timeToFirstByte(e, fresh, ttfbPort(e, round)) };
      } finally {
        await runCmd(e.cli(["rm", "-f", fresh]));
      }
    },
    async cleanup(e) {
      await runCmd(e.cli(["rm", "-f", name]));
    },
    floor: {
      async prepare() {
        const dir = `${BASE}/www`;
        await fs.mkdir(dir, { recursive: true });
        await fs.writeFile(`${dir}/index.html`, "hello-from-wharf-bench\n");
        hostHttpd = spawn("busybox", ["httpd", "-f", "-p", `127.0.0.1:${ports.crun}`, "-h", dir], { stdio: "ignore" });
        await waitFor("host httpd", () => get(ports.crun), 10_000, 50);
      },
      async measure() {
        return { port: await wrk(ports.crun) };
      },
      async cleanup() {
        hostHttpd?.kill("SIGKILL");
      },
    },
  };
}
