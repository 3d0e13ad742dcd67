/**
 * Go's text/tabwriter (docker/cli's fork, which measures cells with
 * go-runewidth) as docker uses it: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0).
 *
 * Cells are tab-terminated; the text after a line's last tab is not part of
 * any column. A column block is a run of consecutive lines that all have a
 * cell in that column; each block gets its own width (widest cell + padding,
 * at least minwidth). A line without tabs ends every block, as does '\f'.
 * No flags are supported (docker passes none): no AlignRight, FilterHTML,
 * DiscardEmptyColumns, Debug or escape handling beyond plain text.
 */

export interface TabwriterOptions {
  minwidth?: number;
  tabwidth?: number;
  padding?: number;
  padchar?: string;
}

interface Cell {
  text: string;
  width: number;
}

/** Display width like go-runewidth: combining marks 0, East Asian wide 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) continue;
    if (/[\p{Mn}\p{Me}\u200B-\u200F\u2028-\u202E\u2060-\u2064\uFEFF]/u.test(ch)) continue;
    w += isWide(c) ? 2 : 1;
  }
  return w;
}

function isWide(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
    (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd)
  );
}

/** Aligns tab-terminated cells exactly as Go's tabwriter with Flush at the end. */
export function tabwrite(text: string, opts: TabwriterOptions = {}): string {
  const minwidth = opts.minwidth ?? 10;
  const padding = opts.padding ?? 3;
  const padchar = opts.padchar ?? " ";
  const tabwidth = opts.tabwidth ?? 1;
  let out = "";

  // Split into lines of cells; '\f' and lines with a single cell flush
  // (format) everything collected so far, as Go's Write does.
  let lines: Cell[][] = [[]];
  let cur = "";
  const format = (ls: Cell[][]) => {
    out += formatLines(ls, { minwidth, padding, padchar, tabwidth });
  };
  for (const ch of text) {
    if (ch === "\t" || ch === "\v" || ch === "\n" || ch === "\f") {
      const line = lines[lines.length - 1]!;
      line.push({ text: cur, width: displayWidth(cur) });
      cur = "";
      if (ch === "\n" || ch === "\f") {
        lines.push([]);
        if (ch === "\f" || line.length === 1) {
          format(lines);
          lines = [[]];
        }
      }
    } else cur += ch;
  }
  // Flush: the pending text becomes the last line's final cell.
  if (cur.length > 0) lines[lines.length - 1]!.push({ text: cur, width: displayWidth(cur) });
  format(lines);
  return out;
}

interface Fmt {
  minwidth: number;
  padding: number;
  padchar: string;
  tabwidth: number;
}

/**
 * Go's format(): recursively find column blocks; widths[] holds the widths
 * of the enclosing columns. The last line of `lines` is the unterminated one
 * (written without a newline).
 */
function formatLines(lines: Cell[][], f: Fmt): string {
  let out = "";
  const widths: number[] = [];

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!;
      line.forEach((c, j) => {
        out += c.text;
        if (j < widths.length) out += padding(c.width, widths[j]!, f);
      });
      if (i + 1 < lines.length) out += "\n";
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      // A cell exists in this column: print the lines before the block.
      writeLines(line0, t);
      line0 = t;
      let width = f.minwidth;
      for (; t < line1; t++) {
        const line = lines[t]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column]!.width + f.padding);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out;
}

function padding(textw: number, cellw: number, f: Fmt): string {
  if (f.padchar === "\t") {
    if (f.tabwidth === 0) return "";
    const w = Math.ceil(cellw / f.tabwidth) * f.tabwidth;
    return "\t".repeat(Math.ceil((w - textw) / f.tabwidth));
  }
  return f.padchar.repeat(Math.max(cellw - textw, 0));
}
