import type { CliIo } from "../../context.js";
import type { LogLine } from "../../../compose/ops/logs.js";

/**
 * docker compose's log layout: `web-1  | text`, names padded to the
 * longest, one colour per container (on a terminal or with --ansi always).
 */
const COLORS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

export class LogPrinter {
  private readonly width: number;
  private readonly colors = new Map<string, number>();

  constructor(
    private readonly io: CliIo,
    names: string[],
    private readonly o: { color: boolean; prefix: boolean },
  ) {
    this.width = Math.max(0, ...names.map((n) => n.length));
    names.forEach((n, i) => this.colors.set(n, COLORS[i % COLORS.length]));
  }

  prefix(source: string): string {
    if (!this.o.prefix) return "";
    const text = `${source.padEnd(this.width)}  | `;
    const c = this.colors.get(source) ?? COLORS[0];
    return this.o.color ? `\x1b[${c}m${text}\x1b[0m` : text;
  }

  line(l: LogLine): void {
    this.io.stdout.write(`${this.prefix(l.source)}${l.text}\n`);
  }

  /** A line about a container (`web-1 exited with code 0`), in its colour. */
  event(source: string, text: string): void {
    const c = this.colors.get(source) ?? COLORS[0];
    this.io.stdout.write(this.o.color ? `\x1b[${c}m${source} ${text}\x1b[0m\n` : `${source} ${text}\n`);
  }
}
