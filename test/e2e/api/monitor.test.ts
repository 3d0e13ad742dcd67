import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { api, run, startTestDaemon, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/** Demultiplex Docker's stdcopy stream into text. */
function demux(buf: Buffer): string {
  let out = "";
  for (let i = 0; i + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + len).toString();
    i += 8 + len;
  }
  return out;
}

describe("the monitor keeps containers independent of the daemon", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("SIGKILL the daemon mid-run: logs complete and the exit code recorded after restart", async () => {
    const create = await api(d.socket, "POST", "/containers/create", {
      Image: "busybox",
      Cmd: ["sh", "-c", "i=1; while [ $i -le 50 ]; do echo $i; i=$((i+1)); sleep 0.1; done"],
    });
    assert.equal(create.status, 201, create.body);
    const id = create.json().Id;
    assert.equal((await api(d.socket, "POST", `/containers/${id}/start`)).status, 204);
    await waitFor("a few lines of output", async () => {
      const r = await api(d.socket, "GET", `/containers/${id}/logs?stdout=1`);
      return demux(Buffer.from(r.body, "latin1")).split("\n").length > 5;
    });
    await d.kill9();
    // While the daemon is down the container keeps running and finishes.
    await new Promise((r) => setTimeout(r, 100));
    await d.start();
    const state = await waitFor("the container to be recorded as exited", async () => {
      const s = (await api(d.socket, "GET", `/containers/${id}/json`)).json().State;
      return s.Status === "exited" ? s : undefined;
    }, 30_000, 200);
    assert.equal(state.ExitCode, 0);
    assert.notEqual(state.FinishedAt, "0001-01-01T00:00:00Z");
    const logs = await new Promise<Buffer>((resolve, reject) => {
      import("node:http").then(({ default: http }) => {
        http.get({ socketPath: d.socket, path: `/containers/${id}/logs?stdout=1&stderr=1` }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => resolve(Buffer.concat(chunks)));
        }).on("error", reject);
      });
    });
    const lines = demux(logs).trim().split("\n");
    assert.deepEqual(lines, Array.from({ length: 50 }, (_, i) => String(i + 1)));
    assert.equal((await api(d.socket, "DELETE", `/containers/${id}`)).status, 204);
  });

  test("a container started before a daemon crash is still attached to after restart", async () => {
    // The container runs until the test says so (bounded at 120 s): a daemon restart on a loaded machine can take longer than any fixed sleep.
    const r = await run("docker", ["run", "-d", "busybox", "sh", "-c", "i=0; while [ ! -e /tmp/go ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done; echo done"], { env: d.env });
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    await d.kill9();
    await d.start();
    const running = (await api(d.socket, "GET", `/containers/${id}/json`)).json().State;
    assert.equal(running.Running, true);
    assert.equal((await run("docker", ["exec", id, "touch", "/tmp/go"], { env: d.env })).code, 0);
    const wait = await run("docker", ["wait", id], { env: d.env, timeoutMs: 30_000 });
    assert.equal(wait.stdout.trim(), "0");
    const logs = await run("docker", ["logs", id], { env: d.env });
    assert.equal(logs.stdout, "done\n");
    await run("docker", ["rm", id], { env: d.env });
  });
});
