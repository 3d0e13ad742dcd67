import { promises as fs } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { REPO, waitFor, type TestDaemon } from "./daemon.js";

/** Debian's chromium (scripts/apt/ui.txt); playwright-core never downloads a browser. */
export const CHROMIUM = process.env.WHARF_CHROMIUM ?? "/usr/bin/chromium";

/** Where browser tests leave their screenshots (CI keeps them as artefacts). */
export const ARTIFACTS = process.env.WHARF_TEST_ARTIFACTS ?? path.join(REPO, "test-artifacts");

/** A headless Chromium for one test file. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The test runs as root on a VM: chromium's sandbox needs user namespaces it may not get.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions"],
  });
}

/** The URL (with `#token=`) the daemon wrote to <exec-root>/dashboard-url at start. */
export async function dashboardUrl(d: TestDaemon): Promise<string> {
  return waitFor("the dashboard URL file", async () => (await fs.readFile(path.join(d.execRoot, "dashboard-url"), "utf8")).trim() || undefined, 30_000);
}

/** Where the dashboard listens: http://127.0.0.1:PORT (no token). */
export function origin(url: string): string {
  return new URL(url).origin;
}

/** A page logged in through the daemon's URL, at 1280×800. */
export async function openDashboard(browser: Browser, url: string, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  await page.getByRole("heading", { name: "Containers" }).waitFor();
  return { context, page, errors };
}

/** Save a full-page screenshot as ARTIFACTS/ui/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(ARTIFACTS, "ui");
  await fs.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
