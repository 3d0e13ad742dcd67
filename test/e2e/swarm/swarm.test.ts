import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { TestCluster, type ClusterHost } from "../../helpers/cluster.js";
import { waitFor } from "../../helpers/daemon.js";

/**
 * Issue 15's acceptance scenario on three "hosts" (network namespaces on a
 * bridge the test makes, 10.213.0.0/16), each with its own wharf daemon and
 * etcd member, driven by the real docker CLI. The steps build on each other
 * and run in order.
 */
async function ok(h: ClusterHost, ...args: string[]): Promise<string> {
  const r = await h.docker(args);
  assert.equal(r.code, 0, `docker ${args.join(" ")} on ${h.hostname}: ${r.stderr}`);
  return r.stdout;
}

describe("swarm mode across three hosts", { concurrency: false }, () => {
  let cluster: TestCluster;
  let h1: ClusterHost, h2: ClusterHost, h3: ClusterHost;

  before(async () => {
    cluster = await TestCluster.create(3);
    [h1, h2, h3] = cluster.hosts;
  });
  after(async () => cluster?.destroy());

  it("answers 503 on swarm endpoints and reports inactive before init", async () => {
    const r = await h1.docker(["node", "ls"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /This node is not a swarm manager/);
    assert.equal((await ok(h1, "info", "--format", "{{.Swarm.LocalNodeState}}")).trim(), "inactive");
  });

  it("init, a wrong token is refused, joins; node ls shows 3 Ready managers", async () => {
    const out = await ok(h1, "swarm", "init", "--advertise-addr", h1.ip, "--default-addr-pool", "10.213.128.0/17");
    assert.match(out, /Swarm initialized: current node \(\w+\) is now a manager/);
    const token = (await ok(h1, "swarm", "join-token", "-q", "manager")).trim();
    assert.match(token, /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);

    const bad = token.slice(0, -5) + "aaaaa";
    const r = await h2.docker(["swarm", "join", "--token", bad, "--advertise-addr", h2.ip, `${h1.ip}:2377`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /A valid join token is necessary to join this cluster/);
    assert.equal((await ok(h2, "info", "--format", "{{.Swarm.LocalNodeState}}")).trim(), "inactive");

    for (const h of [h2, h3]) assert.match(await ok(h, "swarm", "join", "--token", token, "--advertise-addr", h.ip, `${h1.ip}:2377`), /joined a swarm as a manager/);
    await waitFor("3 ready nodes", async () => {
      const lines = (await ok(h2, "node", "ls", "--format", "{{.Hostname}} {{.Status}} {{.Availability}}")).trim().split("\n");
      return lines.length === 3 && lines.every((l) => / Ready Active$/.test(l)) && lines;
    }, 30_000);
    const self = (await ok(h3, "node", "ls")).split("\n").find((l) => l.includes(" * "));
    assert.ok(self?.includes(h3.hostname), `node ls on ${h3.hostname} marks itself: ${self}`);
    assert.equal((await ok(h3, "info", "--format", "{{.Swarm.Managers}} {{.Swarm.Nodes}} {{.Swarm.ControlAvailable}}")).trim(), "3 3 true");
  });

  it("node update sets labels and availability; inspect shows them", async () => {
    await ok(h1, "node", "update", "--label-add", "zone=a", "--availability", "pause", h2.hostname);
    assert.equal((await ok(h3, "node", "inspect", "-f", "{{.Spec.Labels.zone}} {{.Spec.Availability}}", h2.hostname)).trim(), "a pause");
    await ok(h1, "node", "update", "--availability", "active", h2.hostname);
  });
});
