import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import { after, before, describe, test } from "node:test";
import { api, run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/**
 * Go and Python clients send `null` (or 0) for healthcheck durations they do not set;
 * both mean "the default", as in dockerd. docker-compose 1.29 (docker-py) sends nulls.
 */
describe("healthcheck durations: null and 0 mean the default", () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  test("docker-compose 1.29 brings up a service with a healthcheck", async () => {
    const dir = `${d.base}/${uniqueName("hc")}`;
    const project = uniqueName("hc").replace("-", "");
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(
      `${dir}/docker-compose.yml`,
      ['version: "3.8"', "services:", "  web:", "    image: busybox", "    command: sleep 300", "    healthcheck:", '      test: ["CMD", "true"]', "      interval: 1s", ""].join("\n"),
    );
    const compose = (...args: string[]) => run("docker-compose", ["-p", project, "-f", `${dir}/docker-compose.yml`, ...args], { env: d.env, timeoutMs: 120_000 });
    try {
      const up = await compose("up", "-d");
      assert.equal(up.code, 0, up.stderr);
      const name = `${project}_web_1`;
      await waitFor("the service to be healthy", async () => {
        const r = await api(d.socket, "GET", `/containers/${name}/json`);
        return r.status === 200 && r.json().State.Health?.Status === "healthy";
      }, 30_000, 200);
    } finally {
      await compose("down", "-t", "0");
    }
  });

  test("raw API: null and 0 durations are accepted, 1ns is still refused", async () => {
    for (const v of [null, 0]) {
      const name = uniqueName("hcnull");
      const hc = { Test: ["CMD", "true"], Interval: v, Timeout: v, StartPeriod: v, StartInterval: v, Retries: v };
      const r = await api(d.socket, "POST", `/containers/create?name=${name}`, { Image: "busybox", Cmd: ["sleep", "1"], Healthcheck: hc });
      assert.equal(r.status, 201, `${JSON.stringify(v)}: ${r.body}`);
      await api(d.socket, "DELETE", `/containers/${name}?force=1`);
    }
    const bad = await api(d.socket, "POST", `/containers/create?name=${uniqueName("hcbad")}`, { Image: "busybox", Healthcheck: { Test: ["CMD", "true"], Timeout: 1 } });
    assert.equal(bad.status, 400);
    assert.match(bad.json().message, /Timeout in Healthcheck cannot be less than 1ms/);
  });
});
