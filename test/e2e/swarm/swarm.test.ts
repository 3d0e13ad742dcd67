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

  /** Running tasks of a service: node hostname and image of each. */
  async function running(h: ClusterHost, service: string): Promise<{ node: string; image: string }[]> {
    const out = await ok(h, "service", "ps", service, "-f", "desired-state=running", "--format", "{{.Node}} {{.Image}} {{.CurrentState}}");
    return out.trim().split("\n").filter((l) => / Running /.test(l)).map((l) => ({ node: l.split(" ")[0], image: l.split(" ")[1] }));
  }

  function perNode(tasks: { node: string }[]): number[] {
    return [h1, h2, h3].map((h) => tasks.filter((t) => t.node === h.hostname).length);
  }

  it("service create --replicas 6 spreads 2 per node; scale to 9 gives 3 per node", async () => {
    // Not detached: the CLI follows the tasks until the service converges, as against dockerd.
    const out = await ok(h1, "service", "create", "--no-resolve-image", "--name", "web", "--replicas", "6", "--stop-grace-period", "1s", "busybox", "sleep", "3600");
    assert.match(out, /converged/);
    assert.deepEqual(perNode(await running(h2, "web")), [2, 2, 2]);
    assert.match(await ok(h1, "service", "ls"), /web\s+replicated\s+6\/6\s+busybox:latest/);
    await ok(h2, "service", "scale", "web=9");
    await waitFor("9 running tasks", async () => (await running(h1, "web")).length === 9, 60_000);
    const history = await ok(h1, "service", "ps", "web", "--no-trunc", "--format", "{{.Name}} {{.Node}} {{.DesiredState}} {{.CurrentState}} {{.Error}}");
    assert.deepEqual(perNode(await running(h1, "web")), [3, 3, 3], history);
    // Back to 3 (one per node) to keep the update steps short.
    await ok(h1, "service", "scale", "--detach", "web=3");
    await waitFor("3 running tasks", async () => (await running(h1, "web")).length === 3, 60_000);
  });

  it("service update --image rolls in batches; a broken image rolls back", async () => {
    for (const h of [h1, h2, h3]) await ok(h, "tag", "busybox:latest", "busybox:v2");
    // Batches of 2, each task gated on its health check before the next batch.
    await ok(h1, "service", "update", "--no-resolve-image", "--detach", "--image", "busybox:v2", "--health-cmd", "true", "--health-interval", "1s", "--update-parallelism", "2", "--update-delay", "1s", "--update-monitor", "1s", "web");
    await waitFor("the update to complete", async () => (await ok(h1, "service", "inspect", "-f", "{{.UpdateStatus.State}}", "web")).trim() === "completed", 120_000, 500);
    const tasks = await running(h1, "web");
    assert.equal(tasks.length, 3);
    assert.ok(tasks.every((t) => t.image === "busybox:v2"), JSON.stringify(tasks));

    // An image no node has: its tasks are rejected, and the update rolls back.
    await ok(h1, "service", "update", "--no-resolve-image", "--detach", "--image", "busybox:nope", "--update-failure-action", "rollback", "--update-parallelism", "3", "--update-monitor", "1s", "--rollback-parallelism", "3", "--rollback-monitor", "1s", "web");
    await waitFor("the rollback to complete", async () => (await ok(h1, "service", "inspect", "-f", "{{.UpdateStatus.State}}", "web")).trim() === "rollback_completed", 120_000, 500);
    await waitFor("3 running busybox:v2 tasks", async () => {
      const t = await running(h2, "web");
      return t.length === 3 && t.every((x) => x.image === "busybox:v2");
    }, 60_000);
    assert.equal((await ok(h1, "service", "inspect", "-f", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", "web")).trim(), "busybox:v2");
  });

  it("an overlay network spans the nodes: the service name resolves to a VIP, tasks.<name> to tasks, and the published port answers on every node", async () => {
    await ok(h1, "network", "create", "-d", "overlay", "appnet");
    await ok(h1, "service", "create", "--no-resolve-image", "--detach", "--name", "api", "--replicas", "3", "--stop-grace-period", "1s", "--network", "appnet", "--publish", "8080:80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
    await waitFor("3 running api tasks", async () => (await running(h1, "api")).length === 3, 90_000, 500);
    assert.match(await ok(h2, "network", "ls", "--filter", "driver=overlay", "--format", "{{.Name}} {{.Scope}}"), /appnet swarm/);
    // Each node's own address and port 8080 reach a task, wherever the tasks run (the routing mesh).
    for (const target of [h1, h2, h3]) {
      const body = await waitFor(`port 8080 on ${target.hostname}`, async () => {
        const r = await h1.exec(["curl", "-s", "-m", "5", `http://${target.ip}:8080/hostname`]);
        return r.code === 0 && r.stdout.trim();
      }, 30_000, 500);
      assert.match(body, /^[0-9a-f]{12}$/);
    }
    const vip = (await ok(h1, "service", "inspect", "-f", "{{range .Endpoint.VirtualIPs}}{{.Addr}} {{end}}", "api")).trim().split(" ");
    assert.equal(vip.length, 2, "a VIP on appnet and on ingress");
    const task = (await ok(h2, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=api")).trim().split("\n")[0];
    const lookup = await ok(h2, "exec", task, "nslookup", "api");
    const appnetVip = vip.map((v) => v.split("/")[0]).find((v) => lookup.includes(v));
    assert.ok(appnetVip, `api resolves to a VIP: ${lookup}`);
    const tasks = await ok(h2, "exec", task, "nslookup", "tasks.api");
    assert.equal((tasks.match(/Address: \d+\.\d+\.\d+\.\d+/g) ?? []).length, 3, tasks);
    // Through the VIP (kernel load balancing in the task's namespace), from a task to the service by name.
    const seen = new Set<string>();
    for (let i = 0; i < 12 && seen.size < 2; i++) seen.add((await ok(h2, "exec", task, "timeout", "5", "wget", "-q", "-O", "-", "http://api/hostname")).trim());
    assert.ok(seen.size >= 2, `the VIP spreads requests over tasks: ${[...seen]}`);
  });

  it("a node's daemon and etcd member die: its tasks move to the others; quorum holds with 2 of 3", async () => {
    await h3.killNode();
    await waitFor("tasks off the dead node", async () => {
      const t = await running(h1, "web");
      return t.length === 3 && t.every((x) => x.node !== h3.hostname);
    }, 30_000, 200);
    assert.match(await ok(h2, "node", "ls", "--format", "{{.Hostname}} {{.Status}}"), new RegExp(`${h3.hostname} Down`));
  });

  it("without quorum a manager answers 503 and keeps its tasks running", async () => {
    const before = (await ok(h1, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=web")).trim().split("\n").length;
    await h2.killNode();
    const r = await waitFor("503 without quorum", async () => {
      const x = await h1.docker(["node", "ls"]);
      return x.code !== 0 && x;
    }, 30_000);
    assert.match(r.stderr, /does not have a leader|too few managers/);
    assert.equal((await ok(h1, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=web")).trim().split("\n").length, before);
    // Both come back: their members rejoin, quorum returns, the old tasks there are cleaned up.
    await Promise.all([h2.restart(), h3.restart()]);
    await waitFor("3 ready nodes again", async () => {
      const out = await h1.docker(["node", "ls", "--format", "{{.Status}}"]);
      return out.code === 0 && out.stdout.trim().split("\n").filter((l) => l === "Ready").length === 3;
    }, 60_000, 500);
    await waitFor("3 running tasks after the restart", async () => (await running(h1, "web")).length === 3, 60_000);
  });

  it("service rm removes every task container; leave --force on all leaves nothing", async () => {
    await ok(h1, "service", "rm", "web", "api");
    for (const h of [h1, h2, h3]) {
      await waitFor(`no task containers on ${h.hostname}`, async () => (await ok(h, "ps", "-aq", "--filter", "label=com.docker.swarm.task.id")).trim() === "", 30_000);
    }
    await waitFor("appnet removable", async () => (await h1.docker(["network", "rm", "appnet"])).code === 0, 30_000, 500);
    for (const h of [h3, h2, h1]) await ok(h, "swarm", "leave", "--force");
    for (const h of [h1, h2, h3]) {
      assert.equal((await ok(h, "info", "--format", "{{.Swarm.LocalNodeState}}")).trim(), "inactive");
      const etcd = await h.exec(["sh", "-c", `ls ${h.daemon.dataRoot}/swarm 2>/dev/null | wc -l`]);
      assert.equal(etcd.stdout.trim(), "0", `swarm state left on ${h.hostname}`);
      const links = await h.exec(["ip", "-o", "link", "show"]);
      assert.doesNotMatch(links.stdout, /wov\d+|wvx\d+/, `overlay devices left on ${h.hostname}`);
      assert.doesNotMatch((await h.exec(["nft", "list", "tables"])).stdout, /wmesh_/, `mesh table left on ${h.hostname}`);
    }
  });
});
