import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { checkedApi } from "../../helpers/api-schema.js";

/** Volume prune by API version, anonymous API volumes, exactly one create event, archive edges. */
describe("volume and archive fidelity", () => {
  let d: TestDaemon;
  const docker = (...args: string[]) => run("docker", args, { env: d.env });
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  test("prune: anonymous only from API 1.42 (unless all=true), every unused volume below", async () => {
    const anon = (await checkedApi(d.socket, "POST", "/volumes/create", {})).json();
    assert.ok("com.docker.volume.anonymous" in (anon.Labels ?? {}), "a nameless API volume is anonymous");
    const named = uniqueName("named");
    assert.equal((await checkedApi(d.socket, "POST", "/volumes/create", { Name: named })).status, 201);
    const p1 = (await checkedApi(d.socket, "POST", "/volumes/prune")).json();
    assert.deepEqual(p1.VolumesDeleted, [anon.Name]);
    assert.equal((await api(d.socket, "GET", `/volumes/${named}`)).status, 200);
    const p2 = (await checkedApi(d.socket, "POST", `/volumes/prune?filters=${encodeURIComponent('{"all":["true"]}')}`)).json();
    assert.deepEqual(p2.VolumesDeleted, [named]);
    const old = uniqueName("old");
    await checkedApi(d.socket, "POST", "/volumes/create", { Name: old });
    const p3 = (await checkedApi(d.socket, "POST", "/v1.41/volumes/prune")).json();
    assert.deepEqual(p3.VolumesDeleted, [old]);
  });

  test("a volume made by a container mount emits exactly one create event", async () => {
    const vol = uniqueName("ev");
    const since = Math.floor(Date.now() / 1000) - 1;
    const r = await docker("create", "--mount", `type=volume,source=${vol},target=/data`, "busybox", "true");
    assert.equal(r.code, 0, r.stderr);
    const r2 = await docker("create", "-v", `${vol}:/other`, "busybox", "true");
    assert.equal(r2.code, 0, r2.stderr);
    const until = Math.floor(Date.now() / 1000) + 1;
    const ev = await docker("events", "--since", String(since), "--until", String(until), "-f", "type=volume", "-f", "event=create", "-f", `volume=${vol}`, "--format", "{{.Action}} {{.Actor.ID}}");
    assert.deepEqual(ev.stdout.trim().split("\n"), [`create ${vol}`]);
    await docker("rm", r.stdout.trim(), r2.stdout.trim());
  });

  test("archive: a file named with a trailing slash is 'not a directory'; not-found names the container as asked", async () => {
    const name = uniqueName("arch");
    const id = (await checkedApi(d.socket, "POST", `/containers/create?name=${name}`, { Image: "busybox", Cmd: ["true"] })).json().Id as string;
    try {
      for (const method of ["GET", "HEAD", "PUT"]) {
        const r = await api(d.socket, method, `/containers/${id}/archive?path=/etc/passwd/`, method === "PUT" ? Buffer.alloc(1024) : undefined, { "Content-Type": "application/x-tar" });
        assert.equal(r.status, 400, `${method} ${r.status}`);
        if (method !== "HEAD") assert.match(r.json().message, /not a directory/);
      }
      for (const ref of [id, name, id.slice(0, 12)]) {
        const r = await api(d.socket, "GET", `/containers/${ref}/archive?path=/dne`);
        assert.equal(r.status, 404);
        assert.equal(r.json().message, `Could not find the file /dne in container ${ref}`);
      }
      const empty = await api(d.socket, "PUT", `/containers/${id}/archive?path=/tmp`, Buffer.alloc(0), { "Content-Type": "application/x-tar" });
      assert.equal(empty.status, 200, empty.body);
      const cp = await docker("cp", `${name}:/etc/passwd/`, `${d.base}/x`);
      assert.notEqual(cp.code, 0);
      assert.match(cp.stderr, /not a directory/);
    } finally {
      await api(d.socket, "DELETE", `/containers/${id}?force=1`);
    }
  });
});
