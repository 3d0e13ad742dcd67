// Push then pull of a 200 MB one-layer image of incompressible random data, to a fresh
// `docker-registry` on 127.0.0.1 per engine and round (so no engine finds blobs already there).
// Issue #8's target is relative: wharf ≥ 1.5× dockerd's speed, i.e. ≤ 0.67× its time.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, promises as fs } from "node:fs";
import net from "node:net";
import { BASE } from "../engines/paths.js";
import { must, runCmd, waitFor } from "../lib/proc.js";
import type { Engine } from "../engines/engine.js";
import type { Scenario } from "./scenario.js";

const MB = 200;
const DIR = `${BASE}/pull-push`;
const TAR = `${DIR}/big.tar`;

/** A tar holding one 200 MB file of random bytes (written once, imported into every engine). */
async function writeBigTar(): Promise<void> {
  await fs.mkdir(`${DIR}/src`, { recursive: true });
  const out = createWriteStream(`${DIR}/src/blob`);
  for (let i = 0; i < MB; i++) if (!out.write(randomBytes(1 << 20))) await new Promise<void>((r) => out.once("drain", () => r()));
  await new Promise<void>((res, rej) => {
    out.once("error", rej);
    out.end(() => res());
  });
  await must({ cmd: "tar", args: ["-C", `${DIR}/src`, "-cf", TAR, "blob"] });
  await fs.rm(`${DIR}/src`, { recursive: true, force: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

interface Registry {
  port: number;
  stop(): Promise<void>;
}

async function startRegistry(tag: string): Promise<Registry> {
  const port = await freePort();
  const root = `${DIR}/reg-${tag}`;
  await fs.mkdir(root, { recursive: true });
  const conf = `${root}.yml`;
  await fs.writeFile(conf, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${root}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const proc: ChildProcess = spawn("/usr/bin/docker-registry", ["serve", conf], { stdio: "ignore" });
  await waitFor("docker-registry to listen", async () => {
    if (proc.exitCode !== null) throw new Error(`docker-registry exited ${proc.exitCode}`);
    return fetch(`http://127.0.0.1:${port}/v2/`).then((r) => r.ok, () => false);
  }, 20_000, 50);
  return {
    port,
    stop: async () => {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await new Promise((r) => proc.once("exit", r));
      }
      await fs.rm(root, { recursive: true, force: true });
      await fs.rm(conf, { force: true });
    },
  };
}

/** Podman talks TLS to every registry unless told otherwise; dockerd and wharf treat 127.0.0.0/8 as insecure. */
const tls = (e: Engine) => (e.name === "podman" ? ["--tls-verify=false"] : []);

export function pullPushScenario(): Scenario {
  let tarReady: Promise<void> | undefined;
  return {
    id: "pull-push",
    rows: [
      { id: "push", title: `push of a ${MB} MB one-layer random image to a loopback registry (target ≤ 0.67× dockerd)`, unit: "s" },
      { id: "pull", title: `pull of that image from the loopback registry (target ≤ 0.67× dockerd)`, unit: "s" },
    ],
    rounds: 2,
    budgetMs: 150_000,
    async prepare(e) {
      tarReady ??= writeBigTar();
      await tarReady;
      await must(e.cli(["import", TAR, "wbench/big:src"]), { timeoutMs: 300_000 });
    },
    async measure(e, round) {
      const reg = await startRegistry(`${e.name}-${round}`);
      const ref = `127.0.0.1:${reg.port}/wbench/big:${round}`;
      try {
        await must(e.cli(["tag", "wbench/big:src", ref]));
        const push = await must(e.cli(["push", ...tls(e), ref]), { discardStdout: true, timeoutMs: 300_000 });
        // Both tags go, so the layer goes and the pull really downloads it; the pulled image is the next round's source.
        await must(e.cli(["rmi", ref, "wbench/big:src"]));
        const pull = await must(e.cli(["pull", ...tls(e), ref]), { discardStdout: true, timeoutMs: 300_000 });
        await must(e.cli(["tag", ref, "wbench/big:src"]));
        await runCmd(e.cli(["rmi", ref]));
        return { push: push.ms / 1000, pull: pull.ms / 1000 };
      } finally {
        await reg.stop();
      }
    },
    async cleanup(e) {
      await runCmd(e.cli(["rmi", "-f", "wbench/big:src"]), { timeoutMs: 120_000 });
    },
  };
}
