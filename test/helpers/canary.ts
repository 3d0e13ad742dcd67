import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

/**
 * A directory on the host, outside every data-root, that hostile input tries
 * to reach. `check()` fails if anything in it was created, removed, changed
 * or re-timed; its secret must never show up in what the daemon returns.
 */
export class Canary {
  readonly dir = `/tmp/wharf-canary-${randomBytes(4).toString("hex")}`;
  /** Content of its one file: if this string appears in an archive or an image, host data leaked. */
  readonly secret = `canary-secret-${randomBytes(8).toString("hex")}`;
  /** That file's name (unique, so it can be looked for in listings). */
  readonly secretName = `secret-${randomBytes(4).toString("hex")}`;
  private snapshot = "";

  async create(): Promise<void> {
    await fs.mkdir(path.join(this.dir, "sub"), { recursive: true });
    await fs.writeFile(path.join(this.dir, this.secretName), this.secret + "\n", { mode: 0o600 });
    await fs.writeFile(path.join(this.dir, "passwd"), "evil:x:4242:4242:evil:/:/bin/sh\n");
    await fs.writeFile(path.join(this.dir, "sub", "keep"), "keep\n");
    await fs.symlink(this.secretName, path.join(this.dir, "link"));
    this.snapshot = await this.describe();
  }

  /** Everything about the tree: names, types, modes, owners, sizes, mtimes, contents, link targets. */
  private async describe(): Promise<string> {
    const lines: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      const abs = path.join(this.dir, rel);
      const st = await fs.lstat(abs);
      let extra = "";
      if (st.isFile()) extra = createHash("sha256").update(await fs.readFile(abs)).digest("hex");
      else if (st.isSymbolicLink()) extra = await fs.readlink(abs);
      lines.push(`${rel || "."} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.size} ${st.mtimeMs} ${extra}`);
      if (st.isDirectory()) for (const n of (await fs.readdir(abs)).sort()) await walk(path.join(rel, n));
    };
    await walk("");
    return lines.join("\n");
  }

  async check(what = "the canary"): Promise<void> {
    assert.equal(await this.describe(), this.snapshot, `${what}: the host directory ${this.dir} outside the data-root was changed`);
  }

  /** Fails if the secret (the host file's content) or its name appears in `data`. */
  assertNotLeaked(data: Buffer | string, what: string): void {
    const s = Buffer.isBuffer(data) ? data.toString("latin1") : data;
    assert.ok(!s.includes(this.secret), `${what}: the host file's content leaked`);
  }

  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
