import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { api, run, startTestDaemon, uniqueName, WHARF, type TestDaemon } from "../../helpers/daemon.js";
import { freePort, startWharfRegistry, uploadRawImage, writeHtpasswd, type TestRegistry } from "./registries.js";

/**
 * `docker search HOST:PORT/TERM` through a wharf daemon against `wharf
 * registry serve` (its legacy /v1/search over the catalog), the offline
 * answer for Docker Hub terms, and dockerd's parameter errors.
 */
describe("image search", () => {
  let d: TestDaemon;
  let reg: TestRegistry;
  let authReg: TestRegistry;
  let dir: string;
  const team = uniqueName("team");
  const docker = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });
  const wharf = (args: string[]) => run(process.execPath, [WHARF, ...args], { env: d.env, timeoutMs: 60_000 });

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-search-"));
    const htpasswd = await writeHtpasswd(dir, "bob", "pw");
    [d, reg, authReg] = await Promise.all([startTestDaemon(), startWharfRegistry(), startWharfRegistry({ htpasswd })]);
    for (const name of ["alpha", "beta", "gamma"]) await uploadRawImage(reg.host, `${team}/${name}`, "1", name);
    await uploadRawImage(reg.host, "unrelated", "1", "x");
  });
  after(async () => {
    await Promise.all([d?.stop(), reg?.stop(), authReg?.stop()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("lists matching repositories in docker's table, with the wharf CLI printing the same", async () => {
    const r = await docker(["search", `${reg.host}/${team}`]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.match(lines[0], /^NAME\s+DESCRIPTION\s+STARS\s+OFFICIAL$/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), [`${team}/alpha`, `${team}/beta`, `${team}/gamma`]);
    const w = await wharf(["search", `${reg.host}/${team}`]);
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.stdout, r.stdout);
    const json = await wharf(["search", "--format", "json", `${reg.host}/${team}/alpha`]);
    assert.deepEqual(JSON.parse(json.stdout), { Description: "", IsOfficial: "false", Name: `${team}/alpha`, StarCount: "0" });
  });

  it("applies --limit and the is-official/stars filters", async () => {
    const limited = await docker(["search", "--limit", "2", "--format", "{{.Name}}", `${reg.host}/${team}`]);
    assert.equal(limited.code, 0, limited.stderr);
    assert.deepEqual(limited.stdout.trim().split("\n"), [`${team}/alpha`, `${team}/beta`]);
    for (const f of ["is-official=true", "stars=1", "is-automated=true"]) {
      const r = await docker(["search", "-f", f, "--format", "{{.Name}}", `${reg.host}/${team}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "", `filter ${f}`);
    }
    const notOfficial = await docker(["search", "-f", "is-official=false", "--format", "{{.Name}}", `${reg.host}/${team}/gamma`]);
    assert.equal(notOfficial.stdout.trim(), `${team}/gamma`);
  });

  it("answers parameter errors like dockerd", async () => {
    const cases: [string, number, string][] = [
      ["/images/search?term=busybox&limit=200", 400, "Limit 200 is outside the range of [1, 100]"],
      [`/images/search?term=busybox&filters=${encodeURIComponent('{"foo":["x"]}')}`, 400, "Invalid filter 'foo'"],
      [`/images/search?term=busybox&filters=${encodeURIComponent('{"stars":["x"]}')}`, 400, "Invalid filter 'stars=x'"],
      [`/images/search?term=busybox&filters=${encodeURIComponent('{"is-official":["maybe"]}')}`, 400, "Invalid filter 'is-official=[maybe]'"],
    ];
    for (const [url, status, message] of cases) {
      const res = await api(d.socket, "GET", url);
      assert.equal(res.status, status, url);
      assert.equal(res.json().message, message);
    }
  });

  // Plain terms go to index.docker.io; tests never leave the machine, so that case (dockerd's offline
  // 500 `Get "https://index.docker.io/v1/search?q=…"`) was checked by hand against dockerd 20.10 only.
  it("reports a dead registry as dockerd does", async () => {
    const port = await freePort();
    const dead = await docker(["search", `127.0.0.1:${port}/team`]);
    assert.notEqual(dead.code, 0);
    assert.match(dead.stderr, new RegExp(`invalid registry endpoint "http://127\\.0\\.0\\.1:${port}/v1/"\\. HTTPS attempt: Get "https://127\\.0\\.0\\.1:${port}/v1/_ping": dial tcp 127\\.0\\.0\\.1:${port}: connect: connection refused\\. HTTP attempt: `));
  });

  it("sends credentials to a registry that requires them", async () => {
    const term = `${authReg.host}/${team}`;
    const anonymous = await docker(["search", term]);
    assert.notEqual(anonymous.code, 0);
    assert.match(anonymous.stderr, /Unexpected status code 401/);
    const auth = Buffer.from(JSON.stringify({ username: "bob", password: "pw", serveraddress: authReg.host })).toString("base64url");
    const res = await api(d.socket, "GET", `/images/search?term=${encodeURIComponent(term)}`, undefined, { "X-Registry-Auth": auth });
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(res.json(), []);
  });

  it("pages /v1/search on the registry itself", async () => {
    const get = async (q: string) => (await fetch(`http://${reg.host}/v1/search?${q}`)).json() as Promise<{ num_results: number; num_pages: number; page: number; results: { name: string }[] }>;
    const p2 = await get(`q=${team}&n=2&page=2`);
    assert.equal(p2.num_results, 3);
    assert.equal(p2.num_pages, 2);
    assert.deepEqual(p2.results.map((r) => r.name), [`${team}/gamma`]);
    const all = await get("q=");
    assert.ok(all.results.some((r) => r.name === "unrelated"));
    const ping = await fetch(`http://${reg.host}/v1/_ping`);
    assert.equal(ping.status, 200);
    assert.equal(ping.headers.get("x-docker-registry-standalone"), "true");
  });
});
