// Swarm mode on three "hosts" (network namespaces, 10.213.0.0/16) with the docker CLI:
// `service create --replicas 30` until all 30 tasks run, and the time from killing one
// node's daemon and etcd member until all 30 run on the other two. wharf only (dockerd
// here runs a single host; its swarm would need three of its own).
import type { Scenario } from "./scenario.js";
import { TestCluster } from "../../test/helpers/cluster.js";

let cluster: TestCluster | undefined;

async function cli(args: string[]): Promise<string> {
  const r = await cluster!.hosts[0].docker(args);
  if (r.code !== 0) throw new Error(`docker ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

async function runningOn(service: string): Promise<string[]> {
  const out = await cli(["service", "ps", service, "-f", "desired-state=running", "--format", "{{.Node}} {{.CurrentState}}"]);
  return out.trim().split("\n").filter((l) => / Running /.test(l)).map((l) => l.split(" ")[0]);
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function swarmScenario(): Scenario {
  return {
    id: "swarm",
    engines: ["wharf"],
    rows: [
      { id: "swarm-create-30", title: "swarm: `service create --replicas 30` on 3 nodes → 30 running", unit: "s" },
      { id: "swarm-reschedule", title: "swarm: a node's daemon and etcd member killed → its 10 tasks running elsewhere", unit: "s", target: { op: "<=", value: 10 } },
    ],
    rounds: 2,
    budgetMs: 6 * 60_000,
    async prepare() {
      cluster = await TestCluster.create(3);
      const [h1, ...rest] = cluster.hosts;
      await cli(["swarm", "init", "--advertise-addr", h1.ip, "--default-addr-pool", "10.213.128.0/17"]);
      const token = (await cli(["swarm", "join-token", "-q", "manager"])).trim();
      for (const h of rest) {
        const r = await h.docker(["swarm", "join", "--token", token, "--advertise-addr", h.ip, `${h1.ip}:2377`]);
        if (r.code !== 0) throw new Error(r.stderr);
      }
    },
    async measure(_e, round) {
      const name = `bench${round}`;
      const t0 = Date.now();
      await cli(["service", "create", "--detach", "--no-resolve-image", "--name", name, "--replicas", "30", "busybox", "sleep", "3600"]);
      await until("30 running", async () => (await runningOn(name)).length === 30, 180_000);
      const created = (Date.now() - t0) / 1000;
      const victim = cluster!.hosts[2];
      const t1 = Date.now();
      await victim.killNode();
      await until("30 running off the dead node", async () => {
        const nodes = await runningOn(name);
        return nodes.length === 30 && !nodes.includes(victim.hostname);
      }, 120_000);
      const rescheduled = (Date.now() - t1) / 1000;
      await cli(["service", "rm", name]);
      await victim.restart();
      await until("3 ready nodes", async () => (await cli(["node", "ls", "--format", "{{.Status}}"])).trim().split("\n").filter((s) => s === "Ready").length === 3, 60_000);
      return { "swarm-create-30": created, "swarm-reschedule": rescheduled };
    },
    async cleanup() {
      await cluster?.destroy();
      cluster = undefined;
    },
  };
}
