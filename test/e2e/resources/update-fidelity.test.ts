import assert from "node:assert/strict";
import { existsSync, promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { checkedApi } from "../../helpers/api-schema.js";

/** POST /containers/{id}/update as dockerd: PidsLimit 0/-1 lift the limit, restart-policy updates keep RestartCount. */
describe("container update", () => {
  let d: TestDaemon;
  const v2 = !existsSync("/sys/fs/cgroup/memory");
  const pidsMax = (id: string) => fs.readFile(v2 ? `/sys/fs/cgroup${d.cgroupParent}/${id}/pids.max` : `/sys/fs/cgroup/pids${d.cgroupParent}/${id}/pids.max`, "utf8").then((s) => s.trim());
  const docker = (...args: string[]) => run("docker", args, { env: d.env });
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  test("PidsLimit: 0 and negative values mean unlimited (inspect 0, pids.max max); API < 1.40 ignores it", async () => {
    const name = uniqueName("pids");
    const r = await docker("run", "-d", "--name", name, "--pids-limit", "32", "busybox", "sleep", "300");
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    try {
      for (const [value, inspect, file] of [[16, 16, "16"], [0, 0, "max"], [20, 20, "20"], [-1, 0, "max"], [24, 24, "24"], [-2, 0, "max"]] as const) {
        const u = await checkedApi(d.socket, "POST", `/containers/${name}/update`, { PidsLimit: value });
        assert.equal(u.status, 200, `${value}: ${u.body}`);
        assert.equal((await checkedApi(d.socket, "GET", `/containers/${name}/json`)).json().HostConfig.PidsLimit, inspect, String(value));
        assert.equal(await pidsMax(id), file, String(value));
      }
      const old = await checkedApi(d.socket, "POST", `/v1.39/containers/${name}/update`, { PidsLimit: 5 });
      assert.equal(old.status, 200, old.body);
      assert.equal(await pidsMax(id), "max");
      assert.equal((await docker("update", "--pids-limit", "-1", name)).code, 0);
    } finally {
      await docker("rm", "-f", name);
    }
  });

  test("a restart-policy update keeps RestartCount and applies the new MaximumRetryCount", async () => {
    const name = uniqueName("rp");
    const r = await docker("run", "-d", "--name", name, "--restart", "on-failure:10", "busybox", "sh", "-c", "sleep 2; false");
    assert.equal(r.code, 0, r.stderr);
    try {
      // After the first restart: the count so far must carry over to the new policy.
      await waitFor("the first restart", async () => (await api(d.socket, "GET", `/containers/${name}/json`)).json().RestartCount >= 1, 30_000, 50);
      const u = await docker("update", "--restart", "on-failure:3", name);
      assert.equal(u.code, 0, u.stderr);
      const st = await waitFor("three restarts, then exited", async () => {
        const j = (await checkedApi(d.socket, "GET", `/containers/${name}/json`)).json();
        return j.State.Status === "exited" && j;
      }, 60_000, 100);
      assert.equal(st.RestartCount, 3);
      assert.deepEqual(st.HostConfig.RestartPolicy, { Name: "on-failure", MaximumRetryCount: 3 });
      const bad = await api(d.socket, "POST", `/containers/${name}/update`, { RestartPolicy: { Name: "always", MaximumRetryCount: 2 } });
      assert.equal(bad.status, 400);
      assert.equal(bad.json().message, "invalid restart policy: maximum retry count can only be used with 'on-failure'");
    } finally {
      await docker("rm", "-f", name);
    }
  });
});
