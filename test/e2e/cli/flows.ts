import assert from "node:assert/strict";
import { test } from "node:test";
import { promises as fs } from "node:fs";
import { run, uniqueName, waitFor, type TestDaemon, WHARF } from "../../helpers/daemon.js";

/**
 * The foundation's acceptance flows, run through one CLI binary (the real
 * docker CLI or wharf's own) against a wharf daemon. The same assertions hold
 * for both: that is the point.
 */
export function cliFlows(label: string, cliPath: () => string, daemon: () => TestDaemon): void {
  const cli = (args: string[], opts: { input?: string; timeoutMs?: number } = {}) =>
    run(cliPath(), args, { env: { ...daemon().env, DOCKER_BUILDKIT: "0" }, ...opts });

  test(`${label}: version shows client and server`, async () => {
    const r = await cli(["version"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Client:/);
    assert.match(r.stdout, /Server:/);
    assert.match(r.stdout, /API version:\s+1\.50/);
  });

  test(`${label}: run --rm echo prints hello`, async () => {
    const r = await cli(["run", "--rm", "busybox", "echo", "hello"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "hello\n");
  });

  test(`${label}: exit code propagates`, async () => {
    const r = await cli(["run", "--rm", "busybox", "sh", "-c", "exit 3"]);
    assert.equal(r.code, 3, r.stderr);
  });

  test(`${label}: missing executable exits 127 with docker's message`, async () => {
    const r = await cli(["run", "--rm", "busybox", "/nonexistent"]);
    assert.equal(r.code, 127, r.stderr);
    assert.match(r.stderr, /Error response from daemon: failed to create task for container: .*exec: "\/nonexistent": stat \/nonexistent: no such file or directory/);
  });

  test(`${label}: detached container lifecycle (ps, logs, inspect, stop, rm)`, async () => {
    const name = uniqueName("web");
    const r = await cli(["run", "-d", "--name", name, "busybox", "sh", "-c", "echo started; trap '' TERM; sleep 60"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), /^[0-9a-f]{64}$/);
    try {
      const ps = await cli(["ps"]);
      assert.equal(ps.code, 0, ps.stderr);
      const line = ps.stdout.split("\n").find((l) => l.includes(name));
      assert.ok(line, `ps lists ${name}:\n${ps.stdout}`);
      assert.match(line!, /Up (Less than a second|\d+ seconds?)/);
      assert.match(ps.stdout.split("\n")[0], /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
      const logs = await waitFor("logs to show 'started'", async () => {
        const l = await cli(["logs", name]);
        return l.stdout.includes("started") ? l : undefined;
      });
      assert.equal(logs.stdout, "started\n");
      const insp = await cli(["inspect", "-f", "{{.State.Running}}", name]);
      assert.equal(insp.stdout, "true\n");
      const stop = await cli(["stop", "-t", "2", name]);
      assert.equal(stop.code, 0, stop.stderr);
      assert.equal(stop.stdout.trim(), name);
      assert.ok(stop.ms < 8000, `stop -t 2 took ${stop.ms} ms`);
      const after = await cli(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name]);
      assert.equal(after.stdout, "exited 137\n");
    } finally {
      const rm = await cli(["rm", "-f", name]);
      assert.equal(rm.code, 0, rm.stderr);
    }
    const gone = await cli(["inspect", name]);
    assert.notEqual(gone.code, 0);
  });

  test(`${label}: -e sets the environment`, async () => {
    const r = await cli(["run", "--rm", "-e", "FOO=bar", "busybox", "env"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^FOO=bar$/m);
    assert.match(r.stdout, /^PATH=\/usr\/local\/sbin:/m);
  });

  test(`${label}: stdin with -i`, async () => {
    const r = await cli(["run", "--rm", "-i", "busybox", "cat"], { input: "hi\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "hi\n");
  });

  test(`${label}: import then images lists the image`, async () => {
    const repo = uniqueName("imported");
    const tarball = `${daemon().base}/${repo}.tar`;
    const mk = await run("sh", ["-c", `mkdir -p ${daemon().base}/${repo} && echo hi > ${daemon().base}/${repo}/hello.txt && tar -C ${daemon().base}/${repo} -cf ${tarball} .`]);
    assert.equal(mk.code, 0, mk.stderr);
    const imp = await cli(["import", tarball, `${repo}:v1`]);
    assert.equal(imp.code, 0, imp.stderr);
    assert.match(imp.stdout.trim(), /^sha256:[0-9a-f]{64}$/);
    const images = await cli(["images"]);
    assert.match(images.stdout.split("\n")[0], /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    assert.ok(images.stdout.split("\n").some((l) => l.startsWith(repo) && /\sv1\s/.test(l)), images.stdout);
    const rmi = await cli(["rmi", `${repo}:v1`]);
    assert.equal(rmi.code, 0, rmi.stderr);
    assert.match(rmi.stdout, new RegExp(`Untagged: ${repo}:v1`));
    await fs.rm(tarball, { force: true });
  });

  test(`${label}: ps -a -f label filters (the seed's deployer example)`, async () => {
    const a = uniqueName("ahmed");
    const b = uniqueName("other");
    assert.equal((await cli(["create", "--name", a, "-l", "deployer=Ahmed", "busybox", "true"])).code, 0);
    assert.equal((await cli(["create", "--name", b, "-l", "deployer=Someone", "busybox", "true"])).code, 0);
    try {
      const r = await cli(["ps", "-a", "-f", "label=deployer=Ahmed", "--format", "{{.Names}}"]);
      assert.equal(r.code, 0, r.stderr);
      const names = r.stdout.split("\n").filter(Boolean);
      assert.ok(names.includes(a), r.stdout);
      assert.ok(!names.includes(b), r.stdout);
    } finally {
      await cli(["rm", "-f", a, b]);
    }
  });

  test(`${label}: name conflict and unknown image are clear errors`, async () => {
    const name = uniqueName("dup");
    assert.equal((await cli(["create", "--name", name, "busybox", "true"])).code, 0);
    try {
      const r = await cli(["create", "--name", name, "busybox", "true"]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /Conflict\. The container name "\/[\w-]+" is already in use/);
    } finally {
      await cli(["rm", name]);
    }
    // A loopback registry with nothing listening: the pull fails at once, and no traffic leaves the machine.
    const r = await cli(["run", "--rm", "127.0.0.1:1/no-such-image-" + uniqueName()]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Unable to find image/);
  });
}

export function wharfPath(): string {
  return WHARF;
}
