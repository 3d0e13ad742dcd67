import assert from "node:assert/strict";
import { PassThrough, type Duplex } from "node:stream";
import { before, after, describe, test } from "node:test";
import Docker from "dockerode";
import { startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";

/** Everything a stream carries until it ends (the daemon closes it when the process exits). */
function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (b: Buffer) => chunks.push(b));
    stream.once("end", () => resolve(Buffer.concat(chunks)));
    stream.once("close", () => resolve(Buffer.concat(chunks)));
    stream.once("error", reject);
  });
}

/** Demultiplex with dockerode's own helper, as its users do. */
async function demuxed(docker: Docker, stream: NodeJS.ReadableStream): Promise<{ stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o = collect(out);
  const e = collect(err);
  docker.modem.demuxStream(stream, out, err);
  await collect(stream);
  out.end();
  err.end();
  return { stdout: (await o).toString(), stderr: (await e).toString() };
}

/**
 * dockerode (the base of testcontainers-node) against a wharf daemon: it
 * speaks plain HTTP for attach and exec unless asked to hijack, and reads the
 * output from the response body until the daemon closes it.
 */
describe("dockerode smoke suite", () => {
  let d: TestDaemon;
  let docker: Docker;
  const cleanup: Array<() => Promise<unknown>> = [];
  before(async () => {
    d = await startTestDaemon();
    docker = new Docker({ socketPath: d.socket });
  });
  after(async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
    await d?.stop();
  });

  test("create, attach before start, start, wait, logs", { timeout: 60_000 }, async () => {
    const c = await docker.createContainer({ name: uniqueName("dode"), Image: "busybox", Cmd: ["sh", "-c", "echo one; echo two >&2; exit 3"] });
    cleanup.push(() => c.remove({ force: true }));
    const stream = (await c.attach({ stream: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream;
    const output = demuxed(docker, stream);
    await c.start();
    assert.deepEqual(await output, { stdout: "one\n", stderr: "two\n" });
    assert.deepEqual(await c.wait(), { StatusCode: 3, Error: null });
    const logs = await c.logs({ stdout: true, stderr: true, follow: false });
    assert.ok(Buffer.isBuffer(logs));
    assert.match(logs.toString(), /one\n[\s\S]*two\n/);
    const inspect = await c.inspect();
    assert.equal(inspect.State.ExitCode, 3);
  });

  test("exec without hijack (testcontainers' way) and with hijack and stdin; TTY output keeps \\r\\n", { timeout: 60_000 }, async () => {
    const c = await docker.createContainer({ name: uniqueName("dode-exec"), Image: "busybox", Cmd: ["sleep", "300"] });
    cleanup.push(() => c.remove({ force: true }));
    await c.start();

    const plain = await c.exec({ Cmd: ["sh", "-c", "echo out; echo err >&2; exit 4"], AttachStdout: true, AttachStderr: true });
    const s1 = (await plain.start({ stdin: true, Detach: false, Tty: false } as Docker.ExecStartOptions)) as unknown as NodeJS.ReadableStream;
    assert.deepEqual(await demuxed(docker, s1), { stdout: "out\n", stderr: "err\n" });
    assert.equal((await plain.inspect()).ExitCode, 4);

    const hijacked = await c.exec({ Cmd: ["sh", "-c", "cat; echo done"], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const s2 = (await hijacked.start({ hijack: true, stdin: true })) as unknown as Duplex;
    const out2 = demuxed(docker, s2);
    s2.end("piped\n");
    assert.deepEqual(await out2, { stdout: "piped\ndone\n", stderr: "" });

    const tty = await c.exec({ Cmd: ["sh", "-c", "echo a; echo b"], AttachStdout: true, Tty: true });
    const s3 = (await tty.start({ Tty: true } as Docker.ExecStartOptions)) as unknown as NodeJS.ReadableStream;
    assert.equal((await collect(s3)).toString(), "a\r\nb\r\n");
  });

  test("stats, networks, volumes", { timeout: 60_000 }, async () => {
    const c = await docker.createContainer({ name: uniqueName("dode-stats"), Image: "busybox", Cmd: ["sleep", "300"] });
    cleanup.push(() => c.remove({ force: true }));
    await c.start();
    const stats = await c.stats({ stream: false });
    assert.ok(stats.memory_stats && stats.cpu_stats, JSON.stringify(stats).slice(0, 200));

    const netName = uniqueName("dode-net");
    const net = await docker.createNetwork({ Name: netName, Driver: "bridge", IPAM: { Options: { foo: "bar" } } });
    cleanup.push(() => net.remove());
    await net.connect({ Container: c.id, EndpointConfig: { Aliases: ["stats-box"] } });
    const ni = await net.inspect();
    assert.equal(ni.Name, netName);
    assert.deepEqual(ni.IPAM?.Options, { foo: "bar" });
    assert.ok(Object.keys(ni.Containers ?? {}).includes(c.id));
    assert.ok((await docker.listNetworks()).some((n) => n.Name === netName));
    await net.disconnect({ Container: c.id });

    const volName = uniqueName("dode-vol");
    await docker.createVolume({ Name: volName, Labels: { smoke: "1" } });
    cleanup.push(() => docker.getVolume(volName).remove());
    const listed = await docker.listVolumes({ filters: { label: ["smoke=1"] } });
    assert.deepEqual(listed.Volumes.map((v) => v.Name), [volName]);
    assert.equal((await docker.getVolume(volName).inspect()).Labels.smoke, "1");
  });
});
