import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// A client command talking to a unix socket must not pay for TLS, crypto or child_process at
// start-up (each pulls in dozens of Node's internal modules): those load when an endpoint needs them.
const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

function builtinsAfterImport(modules: string[], then = ""): string[] {
  const script = `${modules.map((m, i) => `const m${i} = await import(${JSON.stringify(here(m))});`).join("\n")}
${then}
process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13))));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

test("the client and the CLI entry load no TLS, crypto or child_process until an endpoint needs them", () => {
  const loaded = builtinsAfterImport(["./engine-client.js", "./endpoint.js", "./config-file.js", "../cli/main.js", "../cli/run-command.js"], "new m0.EngineClient({ host: { kind: 'unix', socketPath: '/nonexistent.sock', raw: 'unix:///nonexistent.sock' } });");
  for (const heavy of ["tls", "https", "crypto", "child_process"]) assert.ok(!loaded.includes(heavy), `${heavy} was loaded at start-up`);
  assert.ok(loaded.includes("http"));
});

test("a TLS endpoint still loads TLS when it is dialled", () => {
  const loaded = builtinsAfterImport(["./dial.js", "./host.js"], "m0.makeDial({ kind: 'tcp', hostname: '127.0.0.1', port: 1 }, { skipVerify: true });");
  assert.ok(loaded.includes("tls") && loaded.includes("https"));
});
