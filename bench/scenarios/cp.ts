// `docker cp` into and out of a running container: a small file and 100 MB. wharf resolves every
// path with openat2(RESOLVE_IN_ROOT) in a view assembled by a mount-namespace helper per call
// (src/lib/scoped-fs); dockerd re-execs itself into a chroot (chrootarchive) per call.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { BASE } from "../engines/paths.js";
import { must, runCmd } from "../lib/proc.js";
import type { Scenario } from "./scenario.js";

export function cpScenario(): Scenario {
  const name = `wb-cp-${randomBytes(3).toString("hex")}`;
  const dirOf = (engine: string) => path.join(BASE, `cp-${engine}`);
  return {
    id: "cp",
    rows: [
      { id: "cp-small-in", title: "`cp` a 1 KB file into a running container", unit: "ms" },
      { id: "cp-big-in", title: "`cp` a 100 MB file into a running container", unit: "ms" },
      { id: "cp-big-out", title: "`cp` a 100 MB file out of a running container", unit: "ms" },
    ],
    rounds: 5,
    budgetMs: 120_000,
    async prepare(e) {
      const dir = dirOf(e.name);
      const small = path.join(dir, "small.txt");
      const big = path.join(dir, "big.bin");
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(small, randomBytes(1024));
      await fs.writeFile(big, randomBytes(100 * 1024 * 1024));
      await must(e.cli(["run", "-d", "--name", name, "--network", "none", "busybox", "sleep", "600"]));
      await must(e.cli(["cp", small, `${name}:/tmp/warm`]));
    },
    async measure(e) {
      const dir = dirOf(e.name);
      const small = path.join(dir, "small.txt");
      const big = path.join(dir, "big.bin");
      const a = await must(e.cli(["cp", small, `${name}:/tmp/small.txt`]));
      const b = await must(e.cli(["cp", big, `${name}:/tmp/big.bin`]));
      const out = path.join(dir, "out.bin");
      const c = await must(e.cli(["cp", `${name}:/tmp/big.bin`, out]));
      await fs.rm(out, { force: true });
      return { "cp-small-in": a.ms, "cp-big-in": b.ms, "cp-big-out": c.ms };
    },
    async cleanup(e) {
      await runCmd(e.cli(["rm", "-f", name]));
      await fs.rm(dirOf(e.name), { recursive: true, force: true });
    },
  };
}
