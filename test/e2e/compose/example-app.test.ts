import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import path from "node:path";
import { existsSync } from "node:fs";
import { startTestDaemon, run, type TestDaemon } from "../../helpers/daemon.js";
import { copyExample, expectOk, projectLeftovers, removeDir, wharfCompose } from "./compose-helpers.js";

// The seed's workflow with `wharf compose` on the checked-in example app:
// config, build, up -d --wait, ps, logs, top, exec, stop, start, down -v.
let d: TestDaemon;
let dir: string;
const project = "rc";
const env = { ROCKETCHAT_PORT: "0" };

before(async () => {
  d = await startTestDaemon();
  dir = await copyExample();
});
after(async () => {
  await wharfCompose(d, dir, ["-p", project, "down", "-v", "-t", "1"]).catch(() => undefined);
  await d?.stop();
  await removeDir(dir);
});

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: "/" }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

async function inspect(name: string): Promise<any> {
  const r = await run("docker", ["inspect", name], { env: d.env });
  return JSON.parse(r.stdout)[0];
}

test("the example app through wharf compose", async () => {
  const c = (args: string[]) => wharfCompose(d, dir, ["-p", project, ...args], env);
  const config = expectOk(await c(["config"]), "config");
  assert.match(config.stdout, /^name: rc$/m);
  assert.match(config.stdout, /published: "0"/, "ROCKETCHAT_PORT interpolated");
  assert.match(config.stdout, new RegExp(`source: ${path.join(dir, "data/db").replace(/\//g, "\\/")}`), "bind source made absolute");
  assert.deepEqual(expectOk(await c(["config", "--services"]), "config --services").stdout.trim().split("\n"), ["mongo", "mongo-init-replica", "rocketchat", "hubot"]);
  assert.equal(expectOk(await c(["config", "--volumes"]), "config --volumes").stdout.trim(), "uploads");

  const build = expectOk(await c(["build"]), "build");
  assert.match(build.stdout, /Successfully tagged wharf-example\/rocketchat:latest/);

  const up = expectOk(await c(["up", "-d", "--wait"]), "up -d --wait");
  assert.match(up.stderr, /Container rc-mongo-1 {2}Healthy/);
  assert.match(up.stderr, /Network rc_botnet {2}Created/);
  assert.match(up.stderr, /Volume rc_uploads {2}Created/);

  // ordering: the init job started only once mongo was healthy, the app only after the init job exited 0
  const mongo = await inspect("rc-mongo-1");
  const init = await inspect("rc-mongo-init-replica-1");
  const app = await inspect("rc-rocketchat-1");
  // From the events journal: State.Health.Log keeps only the last 5 probes, so on a slow machine the first passing one is gone.
  const events = await run("docker", ["events", "--since", "0", "--until", String(Math.ceil(Date.now() / 1000) + 1), "--format", "{{.TimeNano}}|{{.Action}}|{{.Actor.Attributes.name}}"], { env: d.env });
  const at = (action: string, name: string) => events.stdout.split("\n").map((l) => l.split("|")).find((f) => f[1] === action && f[2] === name)?.[0];
  const healthy = at("health_status: healthy", mongo.Name.slice(1));
  const initStart = at("start", init.Name.slice(1));
  assert.ok(healthy && initStart, `events of mongo becoming healthy and the init job starting:\n${events.stdout}`);
  assert.ok(BigInt(initStart) >= BigInt(healthy), "init started after mongo became healthy");
  assert.equal(init.State.ExitCode, 0);
  assert.ok(Date.parse(app.State.StartedAt) >= Date.parse(init.State.FinishedAt), "rocketchat started after the init job completed");
  assert.equal(app.Config.Labels["com.docker.compose.project"], "rc");
  assert.equal(app.Config.Labels["com.docker.compose.service"], "rocketchat");
  assert.equal(app.Config.Labels["com.docker.compose.container-number"], "1");
  assert.equal(app.Config.Labels["com.docker.compose.oneoff"], "False");
  assert.match(app.Config.Labels["com.docker.compose.config-hash"], /^[0-9a-f]{64}$/);
  assert.equal(app.Config.Labels["com.docker.compose.depends_on"], "mongo-init-replica:service_completed_successfully:false");
  assert.ok(existsSync(path.join(dir, "data/db/replicaset")), "the bind-mounted data dir holds what the init job wrote");

  // the published port serves what the app read from the db by service name over botnet
  const port = Number(expectOk(await c(["port", "rocketchat", "3000"]), "port").stdout.trim().split(":").pop());
  assert.match(await get(port), /connected to replica set rs0/);

  const ps = expectOk(await c(["ps"]), "ps");
  assert.match(ps.stdout, /^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/m);
  assert.match(ps.stdout, /^rc-mongo-1\s+busybox:latest\s+.*mongo\s+.*\(healthy\)/m);
  assert.doesNotMatch(ps.stdout, /mongo-init-replica/, "ps hides exited containers without -a");
  assert.match(expectOk(await c(["ps", "-a"]), "ps -a").stdout, /rc-mongo-init-replica-1 .*Exited \(0\)/);
  assert.equal(expectOk(await c(["ps", "-q"]), "ps -q").stdout.trim().split("\n").length, 3);

  const logs = expectOk(await c(["logs", "--no-color", "mongo-init-replica", "rocketchat"]), "logs");
  assert.match(logs.stdout, /^mongo-init-replica-1 {2}\| replica set initiated$/m);
  assert.match(logs.stdout, /^rocketchat-1 +\| rocketchat listening on 3000 \(replica set rs0\)$/m);

  const top = expectOk(await c(["top", "mongo"]), "top");
  assert.match(top.stdout, /^rc-mongo-1\nUID\s+PID\s+PPID/m);
  assert.match(top.stdout, /httpd -f -p 27017/);

  // the bot reaches the app through its network alias
  const exec = expectOk(await c(["exec", "-T", "hubot", "sh", "-c", "wget -q -O - http://chat:3000/ && echo $BOT_NAME"]), "exec");
  assert.match(exec.stdout, /connected to replica set rs0\nbot/);
  const failing = await c(["exec", "-T", "hubot", "sh", "-c", "exit 3"]);
  assert.equal(failing.code, 3, "exec passes the command's exit code on");

  expectOk(await c(["stop", "-t", "1"]), "stop");
  assert.equal(expectOk(await c(["ps", "-q"]), "ps after stop").stdout.trim(), "");
  expectOk(await c(["start"]), "start");
  assert.equal(expectOk(await c(["ps", "-q"]), "ps after start").stdout.trim().split("\n").length, 3);

  const down = expectOk(await c(["down", "-v", "-t", "1"]), "down -v");
  assert.match(down.stderr, /Network rc_botnet {2}Removed/);
  assert.match(down.stderr, /Volume rc_uploads {2}Removed/);
  assert.deepEqual(await projectLeftovers(d, project), []);
});
