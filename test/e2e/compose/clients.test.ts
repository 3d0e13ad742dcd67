import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { startTestDaemon, run, WHARF, type TestDaemon } from "../../helpers/daemon.js";
import { copyExample, exampleFiles, expectOk, projectLeftovers, removeDir } from "./compose-helpers.js";

// The same example app through two other clients against a wharf daemon:
// the real docker CLI with wharf installed as its compose plugin, and
// Debian's docker-compose 1.29 (Python, docker-py).
let d: TestDaemon;
const dirs: string[] = [];

before(async () => {
  d = await startTestDaemon();
  // the plugin goes where the docker CLI looks: $DOCKER_CONFIG/cli-plugins
  expectOk(await run(WHARF, ["compose", "install-plugin"], { env: d.env }), "install-plugin");
});
after(async () => {
  await d?.stop();
  for (const dir of dirs) await removeDir(dir);
});

test("docker compose (wharf as the docker CLI plugin) runs the example app", async () => {
  const link = path.join(d.env.DOCKER_CONFIG, "cli-plugins", "docker-compose");
  assert.equal(await fs.realpath(link), await fs.realpath(WHARF));
  const meta = JSON.parse(expectOk(await run(link, ["docker-cli-plugin-metadata"]), "metadata").stdout);
  assert.equal(meta.SchemaVersion, "0.1.0");
  assert.equal(meta.Vendor, "wharf");
  const dir = await copyExample();
  dirs.push(dir);
  const dc = (args: string[]) => run("docker", ["compose", ...exampleFiles(dir), "-p", "viaplugin", ...args], { env: { ...d.env, ROCKETCHAT_PORT: "0" }, timeoutMs: 120_000 });
  assert.match(expectOk(await run("docker", ["compose", "version"], { env: d.env }), "version").stdout, /^Docker Compose version v2\.\d+\.\d+-wharf$/m);
  assert.match(expectOk(await dc(["config", "--services"]), "config").stdout, /^rocketchat$/m);
  expectOk(await dc(["up", "-d", "--wait"]), "docker compose up -d --wait");
  const ps = expectOk(await dc(["ps", "--format", "{{.Name}} {{.Service}} {{.State}}"]), "ps").stdout.trim().split("\n").sort();
  assert.deepEqual(ps, ["viaplugin-hubot-1 hubot running", "viaplugin-mongo-1 mongo running", "viaplugin-rocketchat-1 rocketchat running"]);
  assert.match(expectOk(await dc(["exec", "-T", "hubot", "wget", "-q", "-O", "-", "http://chat:3000/"]), "exec").stdout, /replica set rs0/);
  assert.match(expectOk(await dc(["logs", "--no-color", "rocketchat"]), "logs").stdout, /rocketchat-1 +\| rocketchat listening/);
  expectOk(await dc(["stop", "-t", "1"]), "stop");
  expectOk(await dc(["start"]), "start");
  expectOk(await dc(["down", "-v", "-t", "1"]), "down -v");
  assert.deepEqual(await projectLeftovers(d, "viaplugin"), []);
});

test("docker-compose 1.29 runs the example app against a wharf daemon", async () => {
  const dir = await copyExample();
  dirs.push(dir);
  const env = { ...d.env, ROCKETCHAT_PORT: "0", COMPOSE_DOCKER_CLI_BUILD: "0", DOCKER_BUILDKIT: "0" };
  const dc = (args: string[]) => run("docker-compose", [...exampleFiles(dir), "-p", "viav1", ...args], { env, timeoutMs: 180_000 });
  assert.match(expectOk(await dc(["config"]), "config").stdout, /rocketchat:/);
  expectOk(await dc(["build"]), "build");
  expectOk(await dc(["up", "-d"]), "docker-compose up -d");
  const names = expectOk(await run("docker", ["ps", "--format", "{{.Names}}", "--filter", "label=com.docker.compose.project=viav1"], { env: d.env }), "docker ps").stdout.trim().split("\n").sort();
  assert.deepEqual(names, ["viav1_hubot_1", "viav1_mongo_1", "viav1_rocketchat_1"]);
  assert.match(expectOk(await dc(["ps"]), "ps").stdout, /viav1_mongo_1 .*Up .*healthy/);
  assert.match(expectOk(await dc(["exec", "-T", "hubot", "wget", "-q", "-O", "-", "http://chat:3000/"]), "exec").stdout, /replica set rs0/);
  assert.match(expectOk(await dc(["logs", "--no-color", "mongo-init-replica"]), "logs").stdout, /replica set initiated/);
  assert.match(expectOk(await dc(["top", "mongo"]), "top").stdout, /httpd -f -p 27017/);
  expectOk(await dc(["stop", "-t", "1"]), "stop");
  expectOk(await dc(["start"]), "start");
  expectOk(await dc(["down", "-v", "-t", "1"]), "down -v");
  assert.deepEqual(await projectLeftovers(d, "viav1"), []);
});
