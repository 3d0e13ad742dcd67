import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDaemonAndWait } from "./autostart.js";
import { EngineClient } from "./engine-client.js";
import { parseHost } from "./host.js";

test("auto-start spawns the daemon detached, logs to the file and waits for /_ping", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wharf-autostart-"));
  const socket = join(dir, "d.sock");
  const log = join(dir, "wharf.log");
  process.env.FAKE_ENGINE_SOCKET = socket;
  const client = new EngineClient({ host: parseHost(`unix://${socket}`) });
  let announced = "";
  try {
    await startDaemonAndWait(client, fileURLToPath(new URL("./testing/fake-daemon-main.js", import.meta.url)), { log, onStarted: (l) => (announced = l) });
    assert.equal(announced, log);
    assert.equal(await client.apiVersion(), "1.48");
  } finally {
    client.close();
    // the stand-in logs its pid right after listening; wait for that line, then stop it
    let m: RegExpExecArray | null = null;
    for (let i = 0; i < 200 && !m; i++) {
      m = /fake daemon (\d+)/.exec(readFileSync(log, "utf8"));
      if (!m) await new Promise((r) => setImmediate(r));
    }
    if (m) process.kill(Number(m[1]), "SIGTERM");
    delete process.env.FAKE_ENGINE_SOCKET;
    rmSync(dir, { recursive: true, force: true });
  }
});
