import { readFileSync } from "node:fs";
import { materialize, startFakeEngine } from "./fake-engine.js";

/**
 * Serve test/fixtures/cli/{containers,images}.json on a unix socket so the
 * real docker CLI can produce golden output from them:
 *   node dist/src/client/testing/serve-fixtures.js   (prints the host)
 */
const root = new URL("../../../../test/fixtures/cli/", import.meta.url);
const now = Math.floor(Date.now() / 1000);
const containers = materialize(JSON.parse(readFileSync(new URL("containers.json", root), "utf8")), now);
const images = materialize(JSON.parse(readFileSync(new URL("images.json", root), "utf8")), now);
const engine = await startFakeEngine({ containers, images, apiVersion: "1.47" });
process.stdout.write(`${engine.host}\n`);
process.on("SIGTERM", () => void engine.close().then(() => process.exit(0)));
