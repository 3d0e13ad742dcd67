import { before, after, describe } from "node:test";
import { startTestDaemon, WHARF, type TestDaemon } from "../../helpers/daemon.js";
import { buildFlows } from "./build-flows.js";

// `wharf build` against a wharf daemon (images checked with the docker CLI).
describe("wharf build", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());
  buildFlows(() => WHARF, () => d);
});
