import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { engineSchema, type SchemaNode } from "../../../src/api/schema/engine-schema.js";
import { api, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";

/**
 * Random request bodies built from the swagger's schemas, with nulls and
 * wrong types mixed in: the daemon answers 2xx or 4xx, never 5xx, never a
 * JavaScript error text, stays up, and a refused create leaves nothing behind.
 * Run counts are modest for `npm test`; FC_RUNS raises them.
 */
const RUNS = Number(process.env.FC_RUNS ?? 12);
const JS_ERROR = /Cannot (read|convert|set)|is not a function|is not iterable|TypeError|RangeError|ReferenceError/;
// Keys that would reach the host at create (bind sources, devices, cgroups) or its networking: never generated.
const HOST_REACHING = new Set(["Binds", "Mounts", "Devices", "VolumesFrom", "Tmpfs", "CgroupParent", "IPAM", "Options", "DeviceCgroupRules", "DeviceRequests", "Sysctls", "ConfigOnly", "ConfigFrom"]);

function schemaArb(s: SchemaNode | undefined, depth: number): fc.Arbitrary<unknown> {
  const defs = engineSchema().definitions;
  const wrong = fc.oneof(fc.constant(null), fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}));
  if (!s || depth > 4) return wrong;
  if (typeof s.$ref === "string") return schemaArb(defs[s.$ref.replace("#/definitions/", "")], depth + 1);
  if (Array.isArray(s.allOf)) {
    return fc.tuple(...(s.allOf as SchemaNode[]).map((x) => schemaArb(x, depth))).map((parts) => Object.assign({}, ...parts.filter((p) => p && typeof p === "object" && !Array.isArray(p))));
  }
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as SchemaNode[]).map((x) => schemaArb(x, depth)));
  let right: fc.Arbitrary<unknown>;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (Array.isArray(s.enum)) right = fc.constantFrom(...(s.enum as unknown[]));
  else if (type === "string") right = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("", "host", "private", "none", "container:x", "bridge", "1", "/abs/path"));
  else if (type === "integer") right = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer(), fc.constant(0));
  else if (type === "number") right = fc.double({ noNaN: true, noDefaultInfinity: true });
  else if (type === "boolean") right = fc.boolean();
  else if (type === "array") right = fc.array(schemaArb(s.items as SchemaNode, depth + 1), { maxLength: 3 });
  else if (s.properties) {
    const props = Object.fromEntries(Object.entries(s.properties as Record<string, SchemaNode>).filter(([k]) => !HOST_REACHING.has(k)).map(([k, v]) => [k, schemaArb(v, depth + 1)]));
    right = fc.record(props, { requiredKeys: [] });
  } else if (s.additionalProperties && typeof s.additionalProperties === "object") {
    right = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), schemaArb(s.additionalProperties as SchemaNode, depth + 1), { maxKeys: 2 });
  } else right = wrong;
  // Mostly well-typed, sometimes null, sometimes the wrong type.
  return fc.oneof({ weight: 8, arbitrary: right }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: wrong });
}

const bodyArb = (operationId: string) => schemaArb(engineSchema().operations[operationId]?.body, 0);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

describe("property: random bodies from the schemas", () => {
  let d: TestDaemon;
  let running = "";
  before(async () => {
    d = await startTestDaemon();
    running = uniqueName("prop");
    await api(d.socket, "POST", `/containers/create?name=${running}`, { Image: "busybox", Cmd: ["sleep", "600"] });
    assert.equal((await api(d.socket, "POST", `/containers/${running}/start`)).status, 204);
  });
  after(async () => {
    if (d) await api(d.socket, "DELETE", `/containers/${running}?force=1`);
    await d?.stop();
  });

  const counts = async () => ({
    containers: (await api(d.socket, "GET", "/containers/json?all=1")).json().length as number,
    volumes: ((await api(d.socket, "GET", "/volumes")).json().Volumes ?? []).length as number,
    networks: (await api(d.socket, "GET", "/networks")).json().length as number,
  });

  const sane = (what: string, r: { status: number; body: string }) => {
    assert.ok(r.status < 500, `${what} → ${r.status} ${r.body}`);
    assert.doesNotMatch(r.body, JS_ERROR, `${what} leaked a JavaScript error: ${r.body}`);
  };

  const property = (operationId: string, send: (body: unknown) => Promise<{ status: number; body: string }>, cleanup: (r: { status: number; body: string }) => Promise<void>) =>
    fc.assert(
      fc.asyncProperty(bodyArb(operationId), async (body) => {
        const before = await counts();
        const r = await send(body);
        sane(`${operationId} ${JSON.stringify(body)}`, r);
        if (r.status >= 400) assert.deepEqual(await counts(), before, `${operationId} refused but left something: ${JSON.stringify(body)}`);
        else await cleanup(r);
        assert.equal((await api(d.socket, "GET", "/_ping")).status, 200);
      }),
      { numRuns: RUNS },
    );

  test("container create", () =>
    property(
      "ContainerCreate",
      // Mostly a real image, so the request gets past the lookup into validation.
      (body) => api(d.socket, "POST", `/containers/create?name=${uniqueName("p")}`, isObject(body) && Math.random() < 0.8 ? { ...body, Image: "busybox" } : body),
      async (r) => void (await api(d.socket, "DELETE", `/containers/${JSON.parse(r.body).Id}?force=1&v=1`)),
    ));

  test("volume create", () =>
    property("VolumeCreate", (body) => api(d.socket, "POST", "/volumes/create", body), async (r) => void (await api(d.socket, "DELETE", `/volumes/${JSON.parse(r.body).Name}?force=1`))));

  test("network create", () =>
    property(
      "NetworkCreate",
      (body) => api(d.socket, "POST", "/networks/create", isObject(body) ? { ...body, Name: uniqueName("pn") } : body),
      async (r) => void (await api(d.socket, "DELETE", `/networks/${JSON.parse(r.body).Id}`)),
    ));

  test("exec create and update on a running container", async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb("ContainerExec"), async (body) => sane(`exec ${JSON.stringify(body)}`, await api(d.socket, "POST", `/containers/${running}/exec`, body))),
      { numRuns: RUNS },
    );
    const target = uniqueName("upd");
    await api(d.socket, "POST", `/containers/create?name=${target}`, { Image: "busybox", Cmd: ["sleep", "600"] });
    await api(d.socket, "POST", `/containers/${target}/start`);
    try {
      await fc.assert(
        fc.asyncProperty(bodyArb("ContainerUpdate"), async (body) => sane(`update ${JSON.stringify(body)}`, await api(d.socket, "POST", `/containers/${target}/update`, body))),
        { numRuns: RUNS },
      );
    } finally {
      await api(d.socket, "DELETE", `/containers/${target}?force=1`);
    }
    assert.equal((await api(d.socket, "GET", "/_ping")).status, 200);
  });
});
