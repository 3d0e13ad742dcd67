import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { api, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { demux, rawRequest } from "../../helpers/raw-http.js";

const RAW = "application/vnd.docker.raw-stream";
const MUX = "application/vnd.docker.multiplexed-stream";

/**
 * Attach, exec and logs streams on the wire: with and without the HTTP
 * upgrade, media types by API version (dockerd's router rules), and attach's
 * log replay.
 */
describe("attach, exec and logs streams on the wire", () => {
  let d: TestDaemon;
  let box: string;
  before(async () => {
    d = await startTestDaemon();
    box = uniqueName("streams");
    const c = await api(d.socket, "POST", `/containers/create?name=${box}`, { Image: "busybox", Cmd: ["sleep", "300"] });
    assert.equal(c.status, 201, c.body);
    assert.equal((await api(d.socket, "POST", `/containers/${box}/start`)).status, 204);
  });
  after(async () => {
    await api(d.socket, "DELETE", `/containers/${box}?force=1`).catch(() => undefined);
    await d?.stop();
  });

  const execCreate = async (cfg: Record<string, unknown>, version = "v1.50") => {
    const r = await api(d.socket, "POST", `/${version}/containers/${box}/exec`, { AttachStdout: true, AttachStderr: true, ...cfg });
    assert.equal(r.status, 201, r.body);
    return r.json().Id as string;
  };

  test("exec start without Upgrade streams the multiplexed output in the body and ends it at exit", async () => {
    const id = await execCreate({ Cmd: ["sh", "-c", "echo out; sleep 0.2; echo err >&2; exit 3"] });
    const r = await rawRequest(d.socket, "POST", `/v1.50/exec/${id}/start`, { body: { Detach: false, Tty: false } });
    assert.equal(r.status, 200);
    assert.equal(r.headers["content-type"], RAW, "dockerd answers a plain request with the raw media type");
    assert.equal(r.headers["content-length"], undefined);
    assert.equal(r.headers["transfer-encoding"], undefined, "the body is the stream itself, not chunked");
    assert.deepEqual(demux(r.body), { stdout: "out\n", stderr: "err\n" });
    const inspect = (await api(d.socket, "GET", `/exec/${id}/json`)).json();
    assert.equal(inspect.ExitCode, 3);
  });

  test("exec start: TTY output is raw with \\r\\n line endings, upgraded or not", async () => {
    for (const upgrade of [false, true]) {
      const id = await execCreate({ Cmd: ["sh", "-c", "echo a; echo b"], Tty: true });
      const r = await rawRequest(d.socket, "POST", `/exec/${id}/start`, { body: { Detach: false, Tty: true }, upgrade });
      assert.equal(r.status, upgrade ? 101 : 200);
      assert.equal(r.headers["content-type"], RAW);
      assert.equal(r.headers["transfer-encoding"], undefined);
      assert.equal(r.body.toString(), "a\r\nb\r\n", `upgrade=${upgrade}`);
    }
  });

  test("exec start with Upgrade: media type by API version; stdin EOF reaches the process", async () => {
    for (const [version, type] of [["v1.41", RAW], ["v1.42", MUX], ["v1.50", MUX]]) {
      const id = await execCreate({ Cmd: ["sh", "-c", "cat; echo done"], AttachStdin: true }, version);
      const r = await rawRequest(d.socket, "POST", `/${version}/exec/${id}/start`, { body: { Detach: false, Tty: false }, upgrade: true, stdin: "ping\n", closeWrite: true });
      assert.equal(r.status, 101);
      assert.equal(r.headers["content-type"], type, version);
      assert.equal(demux(r.body).stdout, "ping\ndone\n");
    }
    // docker's CloseWrite right after the upgrade, before the process runs (moby's TestExecWithCloseStdin).
    const id = await execCreate({ Cmd: ["sh", "-c", "cat && echo closeIO"], AttachStdin: true, AttachStderr: false });
    const r = await rawRequest(d.socket, "POST", `/v1.42/exec/${id}/start`, { body: { Detach: false, Tty: false }, upgrade: true, closeWrite: true });
    assert.equal(demux(r.body).stdout, "closeIO\n");
  });

  test("attach without Upgrade made before start receives the output; the body ends when the container exits", async () => {
    const name = uniqueName("plain-attach");
    const c = await api(d.socket, "POST", `/containers/create?name=${name}`, { Image: "busybox", Cmd: ["sh", "-c", "echo one; echo two >&2"] });
    assert.equal(c.status, 201, c.body);
    try {
      const attached = rawRequest(d.socket, "POST", `/containers/${name}/attach?stream=1&stdout=1&stderr=1`);
      await waitFor("the attach to register", async () => {
        const ev = await api(d.socket, "GET", `/events?since=0&until=${Math.ceil(Date.now() / 1000) + 1}&filters=${encodeURIComponent(JSON.stringify({ event: ["attach"], container: [name] }))}`);
        return ev.body.includes('"attach"');
      });
      assert.equal((await api(d.socket, "POST", `/containers/${name}/start`)).status, 204);
      const r = await attached;
      assert.equal(r.status, 200);
      assert.equal(r.headers["content-type"], RAW);
      assert.deepEqual(demux(r.body), { stdout: "one\n", stderr: "two\n" });
    } finally {
      await api(d.socket, "DELETE", `/containers/${name}?force=1`);
    }
  });

  test("attach with logs=1&stream=0 returns the logs; logs and attach media types follow the API version", async () => {
    const name = uniqueName("attach-logs");
    const tty = uniqueName("attach-logs-tty");
    await api(d.socket, "POST", `/containers/create?name=${name}`, { Image: "busybox", Cmd: ["sh", "-c", "echo one; echo two >&2"] });
    await api(d.socket, "POST", `/containers/create?name=${tty}`, { Image: "busybox", Cmd: ["sh", "-c", "echo tty"], Tty: true });
    try {
      for (const n of [name, tty]) {
        assert.equal((await api(d.socket, "POST", `/containers/${n}/start`)).status, 204);
        assert.equal((await api(d.socket, "POST", `/containers/${n}/wait`)).status, 200);
      }
      for (const upgrade of [false, true]) {
        const r = await rawRequest(d.socket, "POST", `/v1.45/containers/${name}/attach?logs=1&stream=0&stdout=1&stderr=1`, { upgrade });
        assert.equal(r.status, upgrade ? 101 : 200);
        assert.deepEqual(demux(r.body), { stdout: "one\n", stderr: "two\n" }, `upgrade=${upgrade}`);
        assert.equal(r.headers["content-type"], upgrade ? MUX : RAW);
        const only = await rawRequest(d.socket, "POST", `/containers/${name}/attach?logs=1&stream=0&stderr=1`, { upgrade });
        assert.deepEqual(demux(only.body), { stdout: "", stderr: "two\n" });
      }
      const old = await rawRequest(d.socket, "POST", `/v1.41/containers/${name}/attach?logs=1&stream=0&stdout=1`, { upgrade: true });
      assert.equal(old.headers["content-type"], RAW);
      const ttyAttach = await rawRequest(d.socket, "POST", `/v1.45/containers/${tty}/attach?logs=1&stream=0&stdout=1`, { upgrade: true });
      assert.equal(ttyAttach.headers["content-type"], RAW);
      assert.equal(ttyAttach.body.toString(), "tty\r\n");

      for (const [version, n, type] of [["v1.41", name, RAW], ["v1.42", name, MUX], ["v1.50", name, MUX], ["v1.50", tty, RAW]]) {
        const l = await api(d.socket, "GET", `/${version}/containers/${n}/logs?stdout=1&stderr=1`);
        assert.equal(l.status, 200);
        assert.equal(l.headers["content-type"], type, `${version} ${n === tty ? "tty" : "non-tty"}`);
      }
    } finally {
      await api(d.socket, "DELETE", `/containers/${name}?force=1`);
      await api(d.socket, "DELETE", `/containers/${tty}?force=1`);
    }
  });
});
