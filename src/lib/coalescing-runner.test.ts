import { test } from "node:test";
import assert from "node:assert/strict";
import { CoalescingRunner } from "./coalescing-runner.js";

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

test("requests during a run share one follow-up run; no backlog builds up", async () => {
  let runs = 0;
  const gates = [gate(), gate()];
  const r = new CoalescingRunner(async () => {
    const g = gates[runs++];
    await g?.p;
  });
  const first = r.run();
  // A burst of requests while the first pass runs (timers, watch events).
  const waiters = Array.from({ length: 50 }, () => r.run());
  await new Promise((res) => setImmediate(res));
  assert.equal(runs, 1);
  gates[0].open();
  await first;
  await new Promise((res) => setImmediate(res));
  assert.equal(runs, 2, "one follow-up run for the whole burst");
  gates[1].open();
  await Promise.all(waiters);
  assert.equal(runs, 2);
  await r.idle();
});

test("a waiter is released only by a run that started after its request", async () => {
  const order: string[] = [];
  let n = 0;
  const g = gate();
  const r = new CoalescingRunner(async () => {
    const me = ++n;
    order.push(`start${me}`);
    if (me === 1) await g.p;
    order.push(`end${me}`);
  });
  void r.run();
  const late = r.run().then(() => order.push("late released"));
  g.open();
  await late;
  assert.deepEqual(order, ["start1", "end1", "start2", "end2", "late released"]);
});

test("a failing run rejects its waiters and the runner keeps working", async () => {
  let fail = true;
  const r = new CoalescingRunner(async () => {
    if (fail) throw new Error("boom");
  });
  await assert.rejects(r.run(), /boom/);
  fail = false;
  await r.run();
  r.kick();
  await r.idle();
});
