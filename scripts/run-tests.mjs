#!/usr/bin/env node
// Runs every compiled test (unit tests beside the code, e2e tests under test/)
// with node's test runner. Build first: `npm run build` (setup does it).
import { readdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
if (!existsSync(join(root, "dist"))) {
  console.error("tests: dist/ is missing; run `bash scripts/setup.sh` (or `npm run build`) first");
  process.exit(1);
}
const files = [];
const walk = (d) => {
  for (const e of readdirSync(d)) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (e.endsWith(".test.js")) files.push(p);
  }
};
for (const d of ["dist/src", "dist/test"]) if (existsSync(join(root, d))) walk(join(root, d));
const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
// node --test with no file runs every test it can find: a filter that matches nothing must not do that.
if (selected.length === 0) {
  console.error(`tests: no compiled test file matches ${filter.join(" ")} (run \`npm run build\` first?)`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", "--test-timeout=300000", ...selected], { stdio: "inherit", cwd: root });
process.exit(r.status ?? 1);
