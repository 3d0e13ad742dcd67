#!/usr/bin/env node
// Runs every compiled test (unit tests beside the code, e2e tests under test/)
// with node's test runner. Build first: `npm run build` (setup does it).
import { readdirSync, statSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
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
// Multi-host scenarios (several daemons and etcd members in network namespaces) run on
// their own after the rest, with a longer per-file limit: on a loaded 2-core machine
// one file needs more than the 5 minutes every other file gets.
const multiHost = selected.filter((f) => f.includes("/e2e/swarm/"));
const rest = selected.filter((f) => !multiHost.includes(f));
// Every failure is repeated, with its message, at the end: CI shows a log's tail.
const failDir = mkdtempSync(join(tmpdir(), "wharf-test-failures-"));
const reporters = (dest) => ["--test-reporter=tap", "--test-reporter-destination=stdout", `--test-reporter=${join(root, "scripts/failure-reporter.mjs")}`, `--test-reporter-destination=${dest}`];
let status = 0;
const failures = [];
for (const [i, [files, timeout]] of [[rest, 300_000], [multiHost, 900_000]].entries()) {
  if (!files.length) continue;
  const dest = join(failDir, `${i}.jsonl`);
  const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", `--test-timeout=${timeout}`, ...reporters(dest), ...files], { stdio: "inherit", cwd: root });
  status ||= r.status ?? 1;
  if (existsSync(dest)) failures.push(...readFileSync(dest, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)));
}
rmSync(failDir, { recursive: true, force: true });
if (failures.length) {
  console.log(`\n# ${failures.length} failing test(s):`);
  for (const f of failures) {
    console.log(`# ✖ ${f.name}  (${(f.file ?? "").replace(root, "")}:${f.line ?? "?"})`);
    const lines = f.text.split("\n").filter((l) => l.trim() && !/^\s+at .*(node:|node_modules)/.test(l));
    for (const l of lines.slice(0, 12)) console.log(`#     ${l.slice(0, 300)}`);
  }
}
process.exit(status);
