import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import { ConflictError } from "../lib/errors.js";

/**
 * One daemon per data-root. A lock file holds the owner's pid; a stale file
 * (its pid gone, or not a wharf daemon) is taken over.
 */
export async function lockDataRoot(dataRoot: string): Promise<() => Promise<void>> {
  const file = path.join(dataRoot, "wharf.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await fs.open(file, "wx");
      await fh.writeFile(String(process.pid));
      await fh.close();
      return async () => {
        const owner = await fs.readFile(file, "utf8").catch(() => "");
        if (owner.trim() === String(process.pid)) await fs.rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number((await fs.readFile(file, "utf8").catch(() => "")).trim());
      if (pid && pid !== process.pid && isWharfDaemon(pid)) {
        throw new ConflictError(
          `a wharf daemon (pid ${pid}) is already running on data-root ${dataRoot}; stop it first or pass a different --data-root`,
        );
      }
      await fs.rm(file, { force: true });
    }
  }
  throw new ConflictError(`could not lock data-root ${dataRoot}`);
}

function isWharfDaemon(pid: number): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmd.includes("daemon");
  } catch {
    return false;
  }
}
