import { test } from "node:test";
import assert from "node:assert/strict";
import { applyChanges } from "./changes.js";

test("applies docker import --change instructions", () => {
  const cfg = applyChanges({}, [
    'CMD ["sh"]',
    "ENTRYPOINT /bin/echo hello world",
    "ENV PATH=/usr/bin:/bin MODE=prod",
    'ENV GREETING "hi there"',
    "ENV HOMEDIR=/home/$MODE",
    'LABEL a=b "c d"="e f"',
    "EXPOSE 80 53/udp 8000-8001",
    'VOLUME ["/data", "/cache"]',
    "VOLUME /logs",
    "USER nobody",
    "WORKDIR /app",
    "WORKDIR sub/../src",
    "ONBUILD RUN echo built",
    "STOPSIGNAL SIGINT",
  ]);
  assert.deepEqual(cfg.Cmd, ["sh"]);
  assert.deepEqual(cfg.Entrypoint, ["/bin/sh", "-c", "/bin/echo hello world"]);
  assert.deepEqual(cfg.Env, ["PATH=/usr/bin:/bin", "MODE=prod", "GREETING=hi there", "HOMEDIR=/home/prod"]);
  assert.deepEqual(cfg.Labels, { a: "b", "c d": "e f" });
  assert.deepEqual(Object.keys(cfg.ExposedPorts ?? {}), ["80/tcp", "53/udp", "8000/tcp", "8001/tcp"]);
  assert.deepEqual(Object.keys(cfg.Volumes ?? {}), ["/data", "/cache", "/logs"]);
  assert.equal(cfg.User, "nobody");
  assert.equal(cfg.WorkingDir, "/app/src");
  assert.deepEqual(cfg.OnBuild, ["RUN echo built"]);
  assert.equal(cfg.StopSignal, "SIGINT");
});

test("rejects instructions import does not allow", () => {
  assert.throws(() => applyChanges({}, ["RUN echo no"]), { message: "run is not a valid change command" });
  assert.throws(() => applyChanges({}, ["FROM busybox"]), /from is not a valid change command/);
  assert.throws(() => applyChanges({}, ["EXPOSE notaport"]), /invalid containerPort/);
  assert.throws(() => applyChanges({}, ['LABEL a="unterminated']), /matching "/);
});

test("later ENV replaces earlier values and the input config is not modified", () => {
  const base = { Env: ["A=1"] };
  const cfg = applyChanges(base, ["ENV A=2"]);
  assert.deepEqual(cfg.Env, ["A=2"]);
  assert.deepEqual(base.Env, ["A=1"]);
});
