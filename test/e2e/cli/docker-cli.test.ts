import { before, after, describe } from "node:test";
import { startTestDaemon, type TestDaemon } from "../../helpers/daemon.js";
import { cliFlows } from "./flows.js";

// The real docker CLI (28.x, client only) against a wharf daemon.
describe("docker CLI against wharf", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());
  cliFlows("docker", () => "docker", () => d);
});
