import { before, after, describe } from "node:test";
import { startTestDaemon, type TestDaemon } from "../../helpers/daemon.js";
import { buildFlows } from "./build-flows.js";

// `DOCKER_BUILDKIT=0 docker build` (the classic POST /build) against a wharf daemon.
describe("docker build (classic) against wharf", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => d?.stop());
  buildFlows(() => "docker", () => d);
});
