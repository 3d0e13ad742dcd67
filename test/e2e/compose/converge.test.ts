import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import path from "node:path";
import { startTestDaemon, run, type TestDaemon } from "../../helpers/daemon.js";
import { expectOk, privateSubnet, projectLeftovers, wharfCompose, writeProject } from "./compose-helpers.js";

// Convergence, scaling, DNS, attached mode, one-off runs and bad input,
// with `wharf compose` on one private daemon.
let d: TestDaemon;
const dirs: string[] = [];

before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d?.stop();
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

const SUBNET = privateSubnet();
const APP = (probeEnv: string) => `
services:
  web:
    image: busybox:latest
    command: ["httpd", "-f", "-p", "80"]
    stop_grace_period: 1s
    networks:
      default:
        aliases: [www]
  probe:
    image: busybox:latest
    command: ["sleep", "300"]
    stop_grace_period: 1s
    environment:
      MARK: "${probeEnv}"
    blkio_config:
      weight: 300
    volumes:
      - cache:/cache
      - /anon
volumes:
  cache: {}
networks:
  default:
    ipam:
      config:
        - subnet: ${SUBNET}
`;

async function ids(dir: string, project: string): Promise<Map<string, string>> {
  const r = expectOk(await wharfCompose(d, dir, ["-p", project, "ps", "--format", "{{.Name}} {{.ID}}"]), "ps");
  return new Map(r.stdout.trim().split("\n").filter(Boolean).map((l) => l.split(" ") as [string, string]));
}

test("--scale web=3 resolves to three replicas; a second up recreates only the changed service; down cleans up", async () => {
  const dir = await writeProject({ "compose.yaml": APP("one") });
  dirs.push(dir);
  const c = (args: string[]) => wharfCompose(d, dir, ["-p", "conv", ...args]);
  const up = expectOk(await c(["up", "-d", "--scale", "web=3"]), "up --scale web=3");
  assert.match(up.stderr, /level=warning msg="service \\"probe\\": `blkio_config` is not supported by wharf compose and was ignored"/);
  const first = await ids(dir, "conv");
  assert.deepEqual([...first.keys()].sort(), ["conv-probe-1", "conv-web-1", "conv-web-2", "conv-web-3"]);

  const ips = await Promise.all(["conv-web-1", "conv-web-2", "conv-web-3"].map(async (n) => {
    const r = expectOk(await run("docker", ["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", n], { env: d.env }), "inspect");
    return r.stdout.trim();
  }));
  for (const name of ["web", "www"]) {
    const look = expectOk(await c(["exec", "-T", "probe", "nslookup", name]), `nslookup ${name}`).stdout;
    const answer = look.slice(look.indexOf("Name:"));
    for (const ip of ips) assert.ok(answer.includes(ip), `${name} resolves to ${ip}:\n${look}`);
  }
  const byName = expectOk(await c(["exec", "-T", "probe", "nslookup", "conv-web-2"]), "by container name").stdout;
  assert.ok(byName.slice(byName.indexOf("Name:")).includes(ips[1]), byName);

  // anonymous volume data survives the recreate
  expectOk(await c(["exec", "-T", "probe", "sh", "-c", "echo kept > /anon/f"]), "write anon volume");
  await fs.writeFile(path.join(dir, "compose.yaml"), APP("two"));
  const again = expectOk(await c(["up", "-d", "--scale", "web=3"]), "second up");
  const second = await ids(dir, "conv");
  for (const n of ["conv-web-1", "conv-web-2", "conv-web-3"]) assert.equal(second.get(n), first.get(n), `${n} kept`);
  assert.notEqual(second.get("conv-probe-1"), first.get("conv-probe-1"), "probe recreated");
  assert.match(again.stderr, /Container conv-probe-1 {2}Recreate/);
  assert.doesNotMatch(again.stderr, /Container conv-web-\d {2}Recreate/);
  assert.equal(expectOk(await c(["exec", "-T", "probe", "sh", "-c", "cat /anon/f; echo $MARK"]), "after recreate").stdout, "kept\ntwo\n");

  expectOk(await c(["up", "-d", "--scale", "web=1"]), "scale down");
  assert.deepEqual([...(await ids(dir, "conv")).keys()].sort(), ["conv-probe-1", "conv-web-1"]);

  expectOk(await c(["down"]), "down");
  assert.deepEqual(await projectLeftovers(d, "conv"), ["volume:conv_cache"], "without -v the named volume stays");
  expectOk(await c(["up", "-d"]), "up again");
  const anon = expectOk(await run("docker", ["inspect", "-f", '{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}}{{end}}{{end}}', "conv-probe-1"], { env: d.env }), "inspect").stdout.trim();
  expectOk(await c(["down", "-v"]), "down -v");
  assert.deepEqual(await projectLeftovers(d, "conv"), []);
  const vols = expectOk(await run("docker", ["volume", "ls", "-q"], { env: d.env }), "volume ls").stdout;
  assert.ok(anon && !vols.includes(anon), "down -v removed the containers' anonymous volumes");
});

test("attached up: prefixed output, --exit-code-from stops the project with that exit code; run --rm", async () => {
  const dir = await writeProject({
    "compose.yaml": `
services:
  job:
    image: busybox:latest
    command: ["sh", "-c", "sleep 1; echo done; exit 3"]
  server:
    image: busybox:latest
    command: ["sh", "-c", "echo serving; exec sleep 300"]
    stop_grace_period: 1s
networks:
  default:
    ipam:
      config:
        - subnet: ${privateSubnet()}
`,
  });
  dirs.push(dir);
  const c = (args: string[]) => wharfCompose(d, dir, ["-p", "att", ...args]);
  const r = await c(["up", "--exit-code-from", "job", "--no-color"]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /^Attaching to job-1, server-1$/m);
  assert.match(r.stdout, /^job-1 {5}\| done$/m);
  assert.match(r.stdout, /^server-1 {2}\| serving$/m);
  assert.match(r.stdout, /^job-1 exited with code 3$/m);
  assert.equal(expectOk(await c(["ps", "-q"]), "ps").stdout.trim(), "", "the project was stopped");

  const one = expectOk(await c(["run", "--rm", "-T", "server", "sh", "-c", "echo one-off; exit 0"]), "run --rm");
  assert.equal(one.stdout, "one-off\n");
  const code = await c(["run", "--rm", "-T", "server", "sh", "-c", "exit 4"]);
  assert.equal(code.code, 4, "run passes the exit code on");
  const oneoffs = expectOk(await run("docker", ["ps", "-aq", "--filter", "label=com.docker.compose.oneoff=True"], { env: d.env }), "ps").stdout.trim();
  assert.equal(oneoffs, "", "--rm removed the one-off containers");
  // the smaller commands, on a running project
  expectOk(await c(["up", "-d", "server"]), "up -d server");
  assert.match(expectOk(await c(["ls"]), "ls").stdout, /^att\s+(exited\(1\), )?running\(1\)\s+\/.*compose\.yaml$/m);
  assert.match(expectOk(await c(["images"]), "images").stdout, /^att-server-1\s+busybox\s+latest\s+[0-9a-f]{12}\s/m);
  expectOk(await c(["pause", "server"]), "pause");
  assert.equal(expectOk(await c(["ps", "--format", "{{.State}}"]), "ps").stdout.trim(), "paused");
  expectOk(await c(["unpause", "server"]), "unpause");
  await fs.writeFile(path.join(dir, "f.txt"), "copied\n");
  expectOk(await c(["cp", path.join(dir, "f.txt"), "server:/tmp/f.txt"]), "cp in");
  assert.equal(expectOk(await c(["exec", "-T", "server", "cat", "/tmp/f.txt"]), "exec cat").stdout, "copied\n");
  expectOk(await c(["kill", "server"]), "kill");
  assert.match(expectOk(await c(["ps", "-a", "--format", "{{.Name}} {{.State}}"]), "ps -a").stdout, /^att-server-1 exited$/m);
  expectOk(await c(["rm", "-f"]), "rm");
  assert.equal(expectOk(await c(["ps", "-aq"]), "ps -aq").stdout.trim(), "");
  expectOk(await c(["down"]), "down");
  assert.deepEqual(await projectLeftovers(d, "att"), []);
});

test("bad input: one clear error naming file/service/key, exit 15, nothing created", async () => {
  const cases: Array<[string, string, RegExp]> = [
    ["invalid yaml", "services:\n  a:\n    image: busybox\n   x: [\n", /compose\.yaml: yaml: line \d+/],
    ["unknown key", "services:\n  web:\n    image: busybox\n    imagee: x\n", /compose\.yaml: services\.web additional property 'imagee' is not allowed/],
    ["wrong type", "services:\n  web:\n    image: busybox\n    environment: 3\n", /compose\.yaml: services\.web\.environment must be/],
    ["missing variable", "services:\n  web:\n    image: busybox\n    command: [echo, \"${NEEDED:?set NEEDED first}\"]\n", /compose\.yaml: error while interpolating services\.web\.command\.1: required variable NEEDED is missing a value: set NEEDED first/],
    ["cycle", "services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [a]\n", /dependency cycle detected: a -> b -> a/],
    ["unknown dependency", "services:\n  web:\n    image: busybox\n    depends_on: [dbx]\n", /service "web" depends on undefined service "dbx": invalid compose project/],
  ];
  for (const [what, text, re] of cases) {
    const dir = await writeProject({ "compose.yaml": `networks:\n  extra: {}\nvolumes:\n  v: {}\n${text}` });
    dirs.push(dir);
    const r = await wharfCompose(d, dir, ["-p", "bad", "up", "-d"]);
    assert.equal(r.code, 15, `${what}: exit code (stderr: ${r.stderr})`);
    assert.match(r.stderr, re, what);
    assert.equal(r.stderr.trim().split("\n").length, 1, `${what}: one line, no stack: ${r.stderr}`);
    assert.deepEqual(await projectLeftovers(d, "bad"), [], `${what}: nothing created`);
  }
});
