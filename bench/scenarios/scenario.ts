// What a scenario is, and how its outcome is classified. A scenario measures one or more
// table rows on every engine (and optionally on raw crun, the floor).
import type { Engine, EngineName } from "../engines/engine.js";
import type { CrunFloor } from "../engines/crun-floor.js";
import type { WharfEngine } from "../engines/wharf.js";

export type Column = EngineName | "crun";
export type Unit = "ms" | "s" | "MB" | "req/s" | "ev/s" | "lines/s";

export interface Row {
  id: string;
  title: string;
  unit: Unit;
  /** wharf's target from issue #8, in the row's unit. */
  target?: { op: "<=" | ">="; value: number };
  /** The reference figures measured in the issue, for the record. */
}

export type Values = Partial<Record<string, number>>;

export interface BenchContext {
  wharf: WharfEngine;
  crun: CrunFloor;
  note(text: string): void;
  log(text: string): void;
}

export interface Scenario {
  id: string;
  rows: Row[];
  /** Interleaved rounds (A B C, B C A, …); stops early when the budget is spent after ≥ 1 round. */
  rounds: number;
  budgetMs: number;
  /** Engines this scenario applies to (default: all). */
  engines?: EngineName[];
  /** Once per engine; throwing here marks the engine n/a or error for every row. */
  prepare?(e: Engine, ctx: BenchContext): Promise<void>;
  measure(e: Engine, round: number, ctx: BenchContext): Promise<Values>;
  cleanup?(e: Engine, ctx: BenchContext): Promise<void>;
  floor?: {
    prepare?(c: CrunFloor): Promise<void>;
    measure(c: CrunFloor, round: number): Promise<Values>;
    cleanup?(c: CrunFloor): Promise<void>;
  };
}

/** A feature the engine does not have yet: shown as "n/a (not implemented)", never as a failure. */
export class Unsupported extends Error {}

const NOT_IMPLEMENTED = /not implemented|page not found|\b501\b|not supported|unknown flag|unknown shorthand flag|is not a docker command|NotImplemented/i;

export type Outcome = { kind: "na"; why: string } | { kind: "error"; why: string };

/** wharf's missing features show as n/a; anything else is a real error worth reading. */
export function classify(e: Engine, err: unknown): Outcome {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof Unsupported || (e.name === "wharf" && NOT_IMPLEMENTED.test(msg))) return { kind: "na", why: msg };
  return { kind: "error", why: msg };
}
