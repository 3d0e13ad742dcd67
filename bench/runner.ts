// Runs scenarios interleaved across engines and the crun floor, within a per-scenario budget
// and a global deadline, collecting raw samples per row and column.
import type { Engine } from "./engines/engine.js";
import { rotated } from "./engines/engine.js";
import { classify, type BenchContext, type Column, type Outcome, type Row, type Scenario, type Values } from "./scenarios/scenario.js";

export interface Cell {
  values: number[];
  outcome?: Outcome | { kind: "skipped"; why: string };
}

export interface RowResult {
  row: Row;
  cells: Partial<Record<Column, Cell>>;
}

export async function runScenario(s: Scenario, engines: Engine[], ctx: BenchContext, deadline: number): Promise<RowResult[]> {
  const results: RowResult[] = s.rows.map((row) => ({ row, cells: {} }));
  const cell = (rowId: string, col: Column): Cell => {
    const r = results.find((x) => x.row.id === rowId)!;
    return (r.cells[col] ??= { values: [] });
  };
  const markAll = (col: Column, outcome: Cell["outcome"]) => {
    for (const r of s.rows) if (!cell(r.id, col).outcome) cell(r.id, col).outcome = outcome;
  };
  const record = (col: Column, v: Values) => {
    for (const [k, x] of Object.entries(v)) if (typeof x === "number" && Number.isFinite(x)) cell(k, col).values.push(x);
  };

  if (Date.now() > deadline) {
    for (const e of engines) markAll(e.name, { kind: "skipped", why: "time budget" });
    return results;
  }
  const mine = engines.filter((e) => !s.engines || s.engines.includes(e.name));
  type Lane = { col: Column; alive: boolean; go: (round: number) => Promise<Values>; onErr: (err: unknown) => Outcome };
  const lanes: Lane[] = [];
  for (const e of mine) {
    const lane: Lane = { col: e.name, alive: true, go: (r) => s.measure(e, r, ctx), onErr: (err) => classify(e, err) };
    try {
      await s.prepare?.(e, ctx);
    } catch (err) {
      lane.alive = false;
      markAll(e.name, lane.onErr(err));
    }
    lanes.push(lane);
  }
  if (s.floor) {
    const f = s.floor;
    const lane: Lane = { col: "crun", alive: true, go: (r) => f.measure(ctx.crun, r), onErr: (err) => ({ kind: "error", why: String(err instanceof Error ? err.message : err) }) };
    try {
      await f.prepare?.(ctx.crun);
    } catch (err) {
      lane.alive = false;
      markAll("crun", lane.onErr(err));
    }
    lanes.push(lane);
  }

  const started = Date.now();
  for (let round = 0; round < s.rounds; round++) {
    if (round > 0 && (Date.now() - started > s.budgetMs || Date.now() > deadline)) {
      ctx.log(`  ${s.id}: stopping after ${round} rounds (budget)`);
      break;
    }
    for (const lane of rotated(lanes, round)) {
      if (!lane.alive) continue;
      try {
        record(lane.col, await lane.go(round));
      } catch (err) {
        lane.alive = false;
        const o = lane.onErr(err);
        markAll(lane.col, o);
        ctx.log(`  ${s.id} ${lane.col}: ${o.kind}: ${o.why}`);
      }
    }
  }

  for (const e of mine) await s.cleanup?.(e, ctx).catch((err) => ctx.log(`  ${s.id} cleanup ${e.name}: ${String(err)}`));
  if (s.floor?.cleanup) await s.floor.cleanup(ctx.crun).catch((err) => ctx.log(`  ${s.id} cleanup crun: ${String(err)}`));
  return results;
}
