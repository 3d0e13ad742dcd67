import { startFakeEngine } from "./fake-engine.js";

/**
 * Stand-in for `wharf daemon` in the auto-start test: invoked as
 * `node fake-daemon-main.js daemon`, serves /_ping on $FAKE_ENGINE_SOCKET
 * until SIGTERM.
 */
const engine = await startFakeEngine({ socketPath: process.env.FAKE_ENGINE_SOCKET, apiVersion: "1.48" });
process.stdout.write(`fake daemon ${process.pid} on ${engine.socketPath}\n`);
process.on("SIGTERM", () => void engine.close().then(() => process.exit(0)));
