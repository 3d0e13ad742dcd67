// Classic build of a 5-step Dockerfile: cold (--no-cache) and fully cached.
// dockerd and wharf get DOCKER_BUILDKIT=0 (the classic POST /build); Podman uses buildah.
import { promises as fs } from "node:fs";
import { BASE } from "../engines/paths.js";
import type { Engine } from "../engines/engine.js";
import { must, runCmd, type Cmd } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";

const CTX = `${BASE}/build-ctx`;
const DOCKERFILE = ["FROM busybox:latest", "RUN echo one > /one", "ENV STEP=three", "COPY hello.txt /hello.txt", "RUN cat /hello.txt /one > /two", ""].join("\n");

function build(e: Engine, tag: string, noCache: boolean): Cmd {
  const c = e.cli(["build", ...(noCache ? ["--no-cache"] : []), "-t", tag, CTX]);
  return { ...c, env: { ...c.env, DOCKER_BUILDKIT: "0" } };
}

export function buildScenario(): Scenario {
  return {
    id: "build",
    rows: [
      { id: "build-cold", title: "classic build, cold (5 steps, `--no-cache`)", unit: "ms", target: { op: "<=", value: 1000 } },
      { id: "build-cached", title: "classic build, fully cached", unit: "ms", target: { op: "<=", value: 80 } },
    ],
    rounds: 5,
    budgetMs: 60_000,
    async prepare(e) {
      await fs.mkdir(CTX, { recursive: true });
      await fs.writeFile(`${CTX}/Dockerfile`, DOCKERFILE);
      await fs.writeFile(`${CTX}/hello.txt`, "hello\n");
      await must(build(e, "wb-build:latest", true), { timeoutMs: 60_000 }); // support probe
    },
    async measure(e) {
      const cold = await must(build(e, "wb-build:latest", true), { timeoutMs: 60_000 });
      const cached = await must(build(e, "wb-build:latest", false), { timeoutMs: 60_000 });
      return { "build-cold": cold.ms, "build-cached": cached.ms };
    },
    async cleanup(e) {
      await runCmd(e.cli(["rmi", "-f", "wb-build:latest"]));
    },
  };
}
