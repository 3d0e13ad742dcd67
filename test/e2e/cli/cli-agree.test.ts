import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { before, after, describe, test } from "node:test";
import { run, startTestDaemon, uniqueName, WHARF, type TestDaemon } from "../../helpers/daemon.js";

/**
 * Byte-for-byte agreement between the real docker CLI and wharf's CLI against
 * the same wharf daemon, holding created, running and exited containers.
 * Point WHARF_ORACLE_HOST at a dockerd instead to check the CLI against Docker.
 */
describe("docker CLI and wharf CLI print the same bytes", () => {
  let d: TestDaemon | undefined;
  let host: string;
  const names = [uniqueName("agree-run"), uniqueName("agree-exit"), uniqueName("agree-new")];

  before(async () => {
    if (process.env.WHARF_ORACLE_HOST) host = process.env.WHARF_ORACLE_HOST;
    else {
      d = await startTestDaemon();
      host = d.host;
    }
    const env = { DOCKER_HOST: host };
    window.start = (Date.now() / 1000 - 1).toFixed(3);
    assert.equal((await run("docker", ["run", "-d", "--name", names[0], "-l", "tier=web", "busybox", "sleep", "300"], { env })).code, 0);
    assert.equal((await run("docker", ["run", "--name", names[1], "busybox", "sh", "-c", "exit 2"], { env })).code, 2);
    assert.equal((await run("docker", ["create", "--name", names[2], "busybox", "echo", "a long command line that the table truncates"], { env })).code, 0);
    window.end = (Date.now() / 1000 + 1).toFixed(3);
  });
  after(async () => {
    await run("docker", ["rm", "-f", ...names], { env: { DOCKER_HOST: host } });
    await d?.stop();
  });

  function both(args: string[]) {
    const env = { ...process.env, DOCKER_HOST: host, TZ: "UTC" };
    const dk = spawnSync("docker", args, { env, encoding: "utf8", timeout: 30_000 });
    const wh = spawnSync(process.execPath, [WHARF, ...args], { env, encoding: "utf8", timeout: 30_000 });
    const clean = (s: string) => s.replace(/^WARNING: IPv4 forwarding.*\n/gm, "");
    return {
      docker: { out: dk.stdout.replaceAll("docker", "wharf"), err: clean(dk.stderr).replaceAll("docker", "wharf"), code: dk.status },
      wharf: { out: wh.stdout, err: clean(wh.stderr), code: wh.status },
    };
  }

  const cases: string[][] = [
    ["ps"], ["ps", "-a"], ["ps", "-a", "-s"], ["ps", "-a", "--no-trunc"], ["ps", "-aq"], ["ps", "-l"], ["ps", "-n", "2"],
    ["ps", "-a", "--format", "json"], ["ps", "-a", "--format", "{{.ID}} {{.Names}} {{.Label \"tier\"}}"], ["ps", "-a", "-f", "status=exited"],
    ["ps", "-a", "-f", "label=tier=web", "--format", "table {{.Names}}\t{{.Status}}"],
    ["images"], ["images", "-q"], ["images", "--digests"], ["images", "--no-trunc"],
    ["inspect", "busybox"], ["inspect", "-f", "{{.Config.Cmd}}", "busybox"], ["inspect", "nope-x"],
    ["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", names[1]], ["inspect", "--type", "image", names[0]],
    ["rm", "nope-x"], ["run", "--foo"], ["run"], ["rename", "a"], ["ps", "--foo"], ["stop", "nope-x"], ["logs", names[1]],
    ["run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3"],
    ["run", "--rm", "busybox", "nosuchcmd"],
    ["run", "--rm", "busybox", "/nonexistent"],
    ["top", names[0]], ["exec", names[0], "sh", "-c", "echo in-exec; exit 4"], ["exec", "nope-x", "true"], ["pause", "nope-x"],
    ["history", "busybox"], ["diff", names[1]], ["port", names[0]], ["network", "ls"], ["volume", "ls"], ["system", "df"],
    ["events", "--since", "@START", "--until", "@END", "--filter", `container=${names[0]}`],
    ["events", "--since", "@START", "--until", "@END", "--filter", "event=die", "--format", "{{.Action}} {{.Actor.Attributes.exitCode}}"],
  ];
  // events need a closed time window; it is known once the containers exist.
  const window = { start: "", end: "" };

  test("agree: info (the Server section; the Client section names each CLI)", () => {
    // Raw outputs: the daemon's own words (e.g. "Init Binary: docker-init") must not be rewritten.
    const env = { ...process.env, DOCKER_HOST: host, TZ: "UTC" };
    const dk = spawnSync("docker", ["info"], { env, encoding: "utf8", timeout: 30_000 });
    const wh = spawnSync(process.execPath, [WHARF, "info"], { env, encoding: "utf8", timeout: 30_000 });
    // The docker CLI lists runtimes in Go map order (random from run to run): compare them as a set.
    const server = (t: string) => t.slice(t.indexOf("Server:")).replace(/^( Runtimes: )(.*)$/m, (_m, a: string, b: string) => a + b.split(" ").sort().join(" "));
    assert.equal(wh.status, 0, wh.stderr);
    assert.ok(wh.stdout.includes("Server:"), wh.stdout);
    assert.equal(server(wh.stdout), server(dk.stdout));
  });

  for (let args of cases) {
    test(`agree: ${args.join(" ")}`, () => {
      args = args.map((a) => (a === "@START" ? window.start : a === "@END" ? window.end : a));
      // docker orders one image's repositories by Go map iteration (random): compare image rows as a set
      const rows = (s: string) => (args[0] === "images" ? s.split("\n").sort().join("\n") : s);
      // A relative time ("2 seconds ago") may tick between the two runs, most of all on a loaded machine:
      // compare byte for byte a few times; only if that never lines up, compare with the times masked.
      let r = both(args);
      for (let i = 0; i < 4 && rows(r.wharf.out) !== rows(r.docker.out); i++) r = both(args);
      if (rows(r.wharf.out) !== rows(r.docker.out)) {
        const mask = (s: string) => rows(s).replace(/(Less than a second|About a minute|About an hour|\d+ (seconds?|minutes?|hours?))( ago)?/g, "T").replace(/ +/g, " ");
        assert.equal(mask(r.wharf.out), mask(r.docker.out));
      }
      assert.equal(r.wharf.err, r.docker.err);
      assert.equal(r.wharf.code, r.docker.code);
    });
  }
});
