import { before, after, describe } from "node:test";
import { startTestDaemon, type TestDaemon } from "../../helpers/daemon.js";
import { cliFlows, wharfPath } from "./flows.js";

// wharf's own CLI against a wharf daemon: the same flows as the docker CLI.
describe("wharf CLI against wharf", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());
  cliFlows("wharf", wharfPath, () => d);
});
