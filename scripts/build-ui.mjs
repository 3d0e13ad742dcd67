#!/usr/bin/env node
// Builds the dashboard's front end (src/ui/web: Preact, uPlot, xterm.js) into
// dist/ui with vite, after type-checking it. The output is cached under
// node_modules/.cache/wharf-ui by a hash of its inputs, so a build that did
// not touch the front end copies the last bundle instead of bundling again.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const web = join(root, "src/ui/web");
const out = join(root, "dist/ui");

const hash = createHash("sha256");
const walk = (d) => {
  for (const e of readdirSync(d).sort()) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p);
    else hash.update(relative(root, p)).update(readFileSync(p));
  }
};
walk(web);
for (const f of ["package-lock.json", "scripts/build-ui.mjs"]) hash.update(readFileSync(join(root, f)));
const key = hash.digest("hex").slice(0, 16);
const cacheRoot = join(root, "node_modules/.cache/wharf-ui");
const cached = join(cacheRoot, key);

if (!existsSync(join(cached, "index.html"))) {
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  };
  run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(web, "tsconfig.json")]);
  run(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "--config", join(web, "vite.config.ts")]);
  rmSync(cacheRoot, { recursive: true, force: true });
  mkdirSync(cacheRoot, { recursive: true });
  cpSync(out, cached, { recursive: true });
} else {
  rmSync(out, { recursive: true, force: true });
  cpSync(cached, out, { recursive: true });
}
