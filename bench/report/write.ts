// Writes bench/results/<date>.md: the table, the machine's facts, notes and the command.
import { promises as fs } from "node:fs";
import path from "node:path";

export interface Report {
  table: string;
  facts: Record<string, string>;
  notes: string[];
  missed: string[];
  command: string;
  elapsedS: number;
}

export function renderReport(r: Report): string {
  return [
    `# wharf benchmark, ${r.facts.date.slice(0, 10)}`,
    "",
    `Produced by \`${r.command}\` in ${Math.round(r.elapsedS)} s. Medians (min–max) over interleaved rounds`,
    "(engines rotate order each round); `·` ratios and the ratio column are to dockerd (time: lower is better; req/s: higher is better).",
    "",
    r.table,
    "",
    "## Machine",
    "",
    ...Object.entries(r.facts).map(([k, v]) => `- ${k}: ${v}`),
    "",
    "## Notes",
    "",
    ...r.notes.map((n) => `- ${n}`),
    "",
    "## wharf targets missed",
    "",
    ...(r.missed.length ? r.missed.map((m) => `- ${m}`) : ["- none"]),
    "",
  ].join("\n");
}

export async function writeReport(dir: string, r: Report): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const stamp = r.facts.date.slice(0, 16).replace(/:/g, "-").replace("T", "_");
  const file = path.join(dir, `${stamp}.md`);
  await fs.writeFile(file, renderReport(r));
  return file;
}
