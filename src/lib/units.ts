// Docker's size parsers (go-units): FromHumanSize is decimal (k = 1000), used by
// log options such as max-size; RAMInBytes is binary (k = 1024), used by memory
// and shm sizes. Both return undefined for text Docker would refuse.

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgtpezy]?)(i?b)?$/i;
const POW: Record<string, number> = { "": 0, k: 1, m: 2, g: 3, t: 4, p: 5, e: 6, z: 7, y: 8 };

function parse(text: string, base: number): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  return Math.floor(parseFloat(m[1]) * base ** POW[m[2].toLowerCase()]);
}

/** `10m` → 10,000,000 (go-units FromHumanSize). */
export function fromHumanSize(text: string): number | undefined {
  return parse(text, 1000);
}

/** `64m` → 67,108,864 (go-units RAMInBytes). */
export function ramInBytes(text: string): number | undefined {
  return parse(text, 1024);
}
