import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import WebSocket from "ws";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

describe("websocket attach", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());

  test("/containers/{id}/attach/ws carries stdin and raw output", async () => {
    const name = uniqueName("ws");
    assert.equal((await run("docker", ["run", "-d", "-i", "--name", name, "busybox", "sh", "-c", "while read l; do echo got:$l; done"], { env: d.env })).code, 0);
    try {
      const ws = new WebSocket(`ws+unix://${d.socket}:/v1.50/containers/${name}/attach/ws?stream=1&stdin=1&stdout=1&stderr=1`);
      let received = "";
      ws.on("message", (m: Buffer) => (received += m.toString()));
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      ws.send("hello\n");
      await waitFor("the echo over the websocket", () => received.includes("got:hello\n"));
      assert.ok(!received.includes("\u0001\u0000\u0000\u0000"), "output is not multiplexed");
      ws.close();
    } finally {
      await run("docker", ["rm", "-f", name], { env: d.env });
    }
  });
});
