import { readFileSync } from "node:fs";

/** The CLI's own version, from package.json next to dist/. */
export function cliVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "dev";
  } catch {
    return "dev";
  }
}
