import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as dnsPacket from "dns-packet";
import { startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";
import { docker } from "./net-helpers.js";

/** A DNS query over TCP (2-byte length prefix), base64 for a shell pipe. */
function tcpQuery(name: string, type: "A" | "AAAA"): string {
  const q = dnsPacket.encode({ type: "query", id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] });
  const len = Buffer.alloc(2);
  len.writeUInt16BE(q.length);
  return Buffer.concat([len, q]).toString("base64");
}

// Docker's embedded DNS as containers see it: nameserver 127.0.0.11 in resolv.conf, UDP and TCP, A, AAAA and PTR.
describe("embedded DNS at 127.0.0.11", () => {
  let d: TestDaemon;
  let dk: ReturnType<typeof docker>;
  const net = uniqueName("dnsnet");
  const web = uniqueName("web");
  before(async () => {
    d = await startTestDaemon();
    dk = docker(d);
    await dk("network", "create", net);
    await dk("run", "-d", "--name", web, "--network", net, "--network-alias", "webalias", "busybox", "sleep", "300");
  });
  after(async () => {
    await dk("rm", "-f", web).catch(() => undefined);
    await dk("network", "rm", net).catch(() => undefined);
    await d?.stop();
  });

  it("resolv.conf names 127.0.0.11; A and PTR over UDP for names, aliases and name.network", async () => {
    const ip = await dk("inspect", "-f", `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`, web);
    const out = await dk("run", "--rm", "--network", net, "busybox", "sh", "-c", `cat /etc/resolv.conf; nslookup -type=a ${web}; nslookup -type=a webalias.${net}; nslookup ${ip}`);
    assert.match(out, /^nameserver 127\.0\.0\.11$/m);
    assert.doesNotMatch(out, /^nameserver (?!127\.0\.0\.11)/m, "the embedded server is the only nameserver");
    assert.match(out, /^options ndots:0$/m);
    assert.match(out, /^Server:\s+127\.0\.0\.11$/m);
    assert.equal(out.match(new RegExp(`^Address: ${ip.replace(/\./g, "\\.")}$`, "gm"))?.length, 2, out);
    assert.match(out, new RegExp(`name = ${web}\\.${net}$`, "m"));
  });

  it("answers over TCP too, and AAAA of an IPv4-only container is an empty NOERROR", async () => {
    const b64 = (await dk("run", "--rm", "--network", net, "busybox", "sh", "-c", `echo ${tcpQuery(web, "A")} | base64 -d | timeout 5 nc 127.0.0.11 53 | base64`)).replace(/\s/g, "");
    const raw = Buffer.from(b64, "base64");
    assert.ok(raw.length > 2, "a TCP answer came back");
    const res = dnsPacket.decode(raw.subarray(2));
    assert.equal(res.id, 4242);
    assert.equal((res as { rcode?: string }).rcode, "NOERROR");
    const ip = await dk("inspect", "-f", `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`, web);
    assert.deepEqual(res.answers?.map((a) => (a as { data: string }).data), [ip]);
    const aaaa = await dk("run", "--rm", "--network", net, "busybox", "nslookup", "-type=aaaa", web);
    assert.doesNotMatch(aaaa, /NXDOMAIN|can't find/, aaaa);
  });

  it("the default bridge keeps the host's resolvers, as in Docker", async () => {
    const out = await dk("run", "--rm", "busybox", "cat", "/etc/resolv.conf");
    assert.doesNotMatch(out, /127\.0\.0\.11/);
  });
});
