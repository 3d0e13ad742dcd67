import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Byte-for-byte comparison with the real docker CLI against the same daemon.
 * Runs only when WHARF_ORACLE_HOST points at a daemon that has busybox:latest
 * (e.g. a private dockerd, or a wharf daemon), and `docker` is on the PATH.
 */
const host = process.env.WHARF_ORACLE_HOST;
const WHARF = fileURLToPath(new URL("../../../bin/wharf", import.meta.url));

function both(args: string[]) {
  const env = { ...process.env, DOCKER_HOST: host, TZ: "UTC" };
  const d = spawnSync("docker", args, { env, encoding: "utf8" });
  const w = spawnSync(process.execPath, [WHARF, ...args], { env, encoding: "utf8" });
  const clean = (s: string) => s.replace(/^WARNING: IPv4 forwarding.*\n/gm, "");
  return {
    docker: { out: d.stdout.replaceAll("docker", "wharf"), err: clean(d.stderr).replaceAll("docker", "wharf"), code: d.status },
    wharf: { out: w.stdout, err: clean(w.stderr), code: w.status },
  };
}

const cases: string[][] = [
  ["ps", "-a"], ["ps", "-a", "-s"], ["ps", "-a", "--no-trunc"], ["ps", "-aq"], ["ps", "-a", "--format", "json"],
  ["images"], ["images", "-q"], ["images", "--digests"],
  ["inspect", "busybox"], ["inspect", "-f", "{{.Config.Cmd}}", "busybox"], ["inspect", "nope-x"],
  ["rm", "nope-x"], ["run", "--foo"], ["run"], ["rename", "a"], ["ps", "--foo"],
  ["run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3"],
  ["run", "--rm", "busybox", "nosuchcmd"],
];

for (const args of cases) {
  test(`docker and wharf agree: ${args.join(" ")}`, { skip: host ? false : "WHARF_ORACLE_HOST not set" }, () => {
    const r = both(args);
    // docker orders one image's repositories by Go map iteration (random): compare image rows as a set
    const rows = (s: string) => (args[0] === "images" ? s.split("\n").sort().join("\n") : s);
    assert.equal(rows(r.wharf.out), rows(r.docker.out));
    assert.equal(r.wharf.err, r.docker.err);
    assert.equal(r.wharf.code, r.docker.code);
  });
}
