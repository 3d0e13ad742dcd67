import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadProject } from "./load.js";
import { interpolateString } from "./interpolate.js";
import { parseEnvText } from "./env-file.js";
import { parsePortShort, parseVolumeShort } from "./short-syntax.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "wharf-compose-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

test("interpolation: defaults, required, alternatives, $$ and nesting", () => {
  const env: Record<string, string> = { A: "a", EMPTY: "" };
  const o = { lookup: (n: string) => env[n] };
  assert.equal(interpolateString("${A}-$A-${B:-b}-${EMPTY:-e}-${EMPTY-e}-${A:+alt}-${B+alt}-$$A-${B:-${A}}", o, "x"), "a-a-b-e--alt--$A-a");
  assert.throws(() => interpolateString("${B:?B is needed}", o, "services.web.image"), /services\.web\.image: required variable B is missing a value: B is needed/);
  assert.throws(() => interpolateString("${EMPTY:?}", o, "k"), /required variable EMPTY/);
  assert.equal(interpolateString("${EMPTY?}", o, "k"), "");
});

test(".env syntax: export, quotes, comments, expansion", () => {
  const v = parseEnvText(['# c', 'export A=1', "B='lit $A'", 'C="x\\ny ${A}"', "D=plain # comment", "E=", "F"].join("\n"), "f", (n) => (n === "F" ? "from-env" : undefined));
  assert.deepEqual(v, { A: "1", B: "lit $A", C: "x\ny 1", D: "plain", E: "", F: "from-env" });
});

test("short syntax: ports and volumes", () => {
  assert.deepEqual(parsePortShort("127.0.0.1:8080:80/udp"), [{ target: 80, published: "8080", host_ip: "127.0.0.1", protocol: "udp", mode: "ingress" }]);
  assert.deepEqual(parsePortShort("3000"), [{ target: 3000, protocol: "tcp", mode: "ingress" }]);
  assert.equal(parsePortShort("8000-8001:80-81").length, 2);
  assert.deepEqual(parseVolumeShort("./data:/data:ro,z", "/p"), { type: "bind", source: "/p/data", target: "/data", read_only: true, bind: { create_host_path: true, selinux: "z" } });
  assert.deepEqual(parseVolumeShort("db:/var/lib/db", "/p"), { type: "volume", source: "db", target: "/var/lib/db" });
  assert.deepEqual(parseVolumeShort("/anon", "/p"), { type: "volume", target: "/anon" });
});

test("files merge the compose-spec way; .env, COMPOSE_PROJECT_NAME and -p", () => {
  const dir = project({
    "compose.yaml": "services:\n  web:\n    image: busybox\n    command: [a, b]\n    environment: [A=1, B=2]\n    ports: ['80']\n    volumes: ['./x:/x']\n    labels: {l1: one}\n  db:\n    image: ${DB_IMAGE}\n",
    "override.yaml": "services:\n  web:\n    command: [c]\n    environment: {B: 3, C: 4}\n    ports: ['81']\n    volumes: ['./y:/x']\n    labels: !reset {}\n",
    ".env": "DB_IMAGE=busybox:1\nCOMPOSE_PROJECT_NAME=fromenv\n",
  });
  const p = loadProject({ files: [path.join(dir, "compose.yaml"), path.join(dir, "override.yaml")], cwd: dir, env: {} });
  assert.equal(p.name, "fromenv");
  const web = p.services.web;
  assert.deepEqual(web.command, ["c"]);
  assert.deepEqual(web.environment, { A: "1", B: "3", C: "4" });
  assert.deepEqual(web.ports?.map((x) => x.target), [80, 81]);
  assert.deepEqual(web.volumes?.map((v) => v.source), [path.join(dir, "y")]);
  assert.equal(web.labels, undefined);
  assert.equal(p.services.db.image, "busybox:1");
  assert.deepEqual(Object.keys(p.networks), ["default"]);
  assert.equal(p.networks.default.name, "fromenv_default");
  assert.equal(loadProject({ files: [path.join(dir, "compose.yaml")], cwd: dir, env: { DB_IMAGE: "x" }, projectName: "flag" }).services.db.image, "x", "the process env wins over .env");
  assert.equal(loadProject({ files: [path.join(dir, "compose.yaml")], cwd: dir, env: {}, projectName: "flag" }).name, "flag");
});

test("COMPOSE_FILE, directory name, profiles, extends, include", () => {
  const dir = project({
    "My App/main.yml": [
      "include:\n  - sub/inc.yaml",
      "services:",
      "  base:\n    image: busybox\n    environment: {X: base}",
      "  web:\n    extends: base\n    environment: {Y: web}\n    depends_on: [lib]",
      "  debug:\n    image: busybox\n    profiles: [debug]",
    ].join("\n") + "\n",
    "My App/sub/inc.yaml": "services:\n  lib:\n    image: busybox\n    volumes: ['./here:/here']\n",
  });
  const cwd = path.join(dir, "My App");
  const p = loadProject({ cwd, env: { COMPOSE_FILE: "main.yml" } });
  assert.equal(p.name, "myapp");
  assert.deepEqual(Object.keys(p.services).sort(), ["base", "lib", "web"]);
  assert.deepEqual(p.services.web.environment, { X: "base", Y: "web" });
  assert.equal(p.services.lib.volumes?.[0].source, path.join(cwd, "sub/here"), "included files resolve paths against their own directory");
  assert.ok(p.disabledServices.debug);
  const withDebug = loadProject({ cwd, env: { COMPOSE_FILE: "main.yml" }, profiles: ["debug"] });
  assert.ok(withDebug.services.debug);
  assert.ok(loadProject({ cwd, env: { COMPOSE_FILE: "main.yml" }, services: ["debug"] }).services.debug, "a service named on the command line is enabled");
});

test("bad input: one clear error naming the file, the service and the key", () => {
  const cases: Array<[string, RegExp]> = [
    ["services:\n  web:\n    image: busybox\n    foo: 1\n", /compose\.yaml: services\.web additional property 'foo' is not allowed/],
    ["services:\n  web:\n    image: busybox\n    ports: 80\n", /compose\.yaml: services\.web\.ports must be a list/],
    ["services:\n  web:\n    image: busybox\n    mem_limit: [1]\n", /services\.web\.mem_limit must be/],
    ["services:\n  web:\n    image: ${IMG:?please set IMG}\n", /compose\.yaml: error while interpolating services\.web\.image: required variable IMG is missing a value: please set IMG/],
    ["services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [a]\n", /dependency cycle detected: a -> b -> a/],
    ["services:\n  a:\n    image: busybox\n    depends_on: [nope]\n", /service "a" depends on undefined service "nope"/],
    ["services:\n  a:\n    image: busybox\n    networks: [nonet]\n", /service "a" refers to undefined network nonet/],
    ["services:\n  a:\n    image: busybox\n    volumes: ['data:/data']\n", /service "a" refers to undefined volume data/],
    ["services:\n  a:\n    image: busybox\n   bad: [\n", /compose\.yaml: yaml: line \d+, column \d+/],
    ["services:\n  a:\n    image: busybox\n  a:\n    image: busybox\n", /compose\.yaml: yaml: .*(duplicate|unique)/i],
  ];
  for (const [text, re] of cases) {
    const dir = project({ "compose.yaml": text });
    assert.throws(() => loadProject({ cwd: dir, env: {} }), (err: Error & { exitCode?: number }) => {
      assert.match(err.message, re);
      assert.equal(err.exitCode, 15);
      assert.doesNotMatch(err.message, /\n\s+at /, "no stack");
      return true;
    });
  }
  assert.throws(() => loadProject({ cwd: project({ "compose.yaml": "services: {}\n" }), env: {}, projectName: "Bad Name" }), /invalid project name "Bad Name"/);
  assert.throws(() => loadProject({ cwd: project({}), env: {} }), /no configuration file provided: not found/);
});
