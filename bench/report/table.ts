// Renders row results as one markdown table: medians (min–max), ratios to dockerd, wharf's target.
import type { Cell, RowResult } from "../runner.js";
import type { Column, Row } from "../scenarios/scenario.js";
import { fmtNum, summarize } from "../lib/stats.js";

export const COLUMNS: { col: Column; title: string }[] = [
  { col: "dockerd", title: "dockerd 20.10" },
  { col: "podman", title: "Podman 4.3 (crun)" },
  { col: "crun", title: "raw crun" },
  { col: "wharf", title: "wharf" },
];

function fmtCell(row: Row, cell: Cell | undefined, footnotes: string[]): string {
  const s = summarize(cell?.values ?? []);
  const o = cell?.outcome;
  if (s) {
    const range = s.n > 1 ? ` (${fmtNum(s.min)}–${fmtNum(s.max)})` : "";
    // a later round failed: keep the samples, and say so
    const failed = o?.kind === "error" ? (footnotes.push(o.why.replace(/\s+/g, " ").slice(0, 900)), ` + error [${footnotes.length}]`) : "";
    return `${fmtNum(s.median)} ${row.unit}${range}${failed}`;
  }
  if (!o) return "—";
  if (o.kind === "na") return "n/a (not implemented)";
  if (o.kind === "skipped") return `skipped (${o.why})`;
  footnotes.push(o.why.replace(/\s+/g, " ").slice(0, 900));
  return `error [${footnotes.length}]`;
}

function median(cell: Cell | undefined): number | undefined {
  return summarize(cell?.values ?? [])?.median;
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0) return "";
  return `${fmtNum(a / b)}×`;
}

function targetText(row: Row): string {
  return row.target ? `${row.target.op === "<=" ? "≤" : "≥"} ${fmtNum(row.target.value)} ${row.unit}` : "";
}

function met(row: Row, v: number | undefined): string {
  if (!row.target || v === undefined) return "";
  return (row.target.op === "<=" ? v <= row.target.value : v >= row.target.value) ? "✅" : "❌";
}

export function renderTable(results: RowResult[]): { markdown: string; missed: Row[] } {
  const footnotes: string[] = [];
  const missed: Row[] = [];
  const head = ["scenario", ...COLUMNS.map((c) => c.title), "wharf ÷ dockerd", "wharf target", "met"];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const { row, cells } of results) {
    const docker = median(cells.dockerd);
    const wharf = median(cells.wharf);
    const values = COLUMNS.map(({ col }) => {
      const text = fmtCell(row, cells[col], footnotes);
      const r = col === "podman" ? ratio(median(cells.podman), docker) : "";
      return r ? `${text} · ${r}` : text;
    });
    const verdict = met(row, wharf);
    if (verdict === "❌") missed.push(row);
    lines.push(`| ${[row.title, ...values, ratio(wharf, docker), targetText(row), verdict].join(" | ")} |`);
  }
  const notes = footnotes.map((f, i) => `[${i + 1}] ${f}`);
  return { markdown: [...lines, ...(notes.length ? ["", ...notes] : [])].join("\n"), missed };
}
