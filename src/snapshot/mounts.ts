import { promises as fs } from "node:fs";
import path from "node:path";

/** Mount points from /proc/self/mountinfo (field 5), with the kernel's octal escapes decoded. */
export async function listMountPoints(): Promise<string[]> {
  const text = await fs.readFile("/proc/self/mountinfo", "utf8");
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    if (fields.length < 5) continue;
    out.push(fields[4].replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))));
  }
  return out;
}

/** Mount points at `dir` or below it. */
export async function mountsUnder(dir: string): Promise<string[]> {
  const base = path.resolve(dir);
  return (await listMountPoints()).filter((m) => m === base || m.startsWith(base + "/"));
}
