import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { dashboardUrl, launchBrowser, openDashboard, screenshot } from "../../helpers/browser.js";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";

/**
 * The dashboard (issue 16) in a real headless Chromium against a daemon
 * started with --ui-addr: log in with the printed URL, see a container the
 * docker CLI starts appear live, stop it from the page, see `docker ps` agree.
 */
describe("dashboard: containers page in a browser", () => {
  let d: TestDaemon;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[] = [];
  const made: string[] = [];
  const dk = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });

  before(async () => {
    d = await startTestDaemon(["--ui-addr", "127.0.0.1:0"]);
    browser = await launchBrowser();
    ({ context, page, errors } = await openDashboard(browser, await dashboardUrl(d)));
  });
  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    if (made.length) await dk(["rm", "-f", ...made]).catch(() => undefined);
    await d?.stop();
  });

  test("the printed URL logs in; the token leaves the address bar; the session cookie is HttpOnly and SameSite=Strict", async () => {
    assert.doesNotMatch(page.url(), /token=/);
    const [cookie] = await context.cookies();
    assert.ok(cookie, "a session cookie was set");
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, "Strict");
    assert.equal(await page.evaluate(() => document.cookie), "", "scripts cannot read the session cookie");
    await page.getByText("● live").waitFor();
    await screenshot(page, "containers-empty");
  });

  test("a container started by the docker CLI appears live; Stop (confirmed) on the page stops it and docker ps agrees", async () => {
    const name = uniqueName("ui-web");
    made.push(name);
    const r = await dk(["run", "-d", "--name", name, "-p", "127.0.0.1::80", "--stop-timeout", "1", "busybox", "sleep", "300"]);
    assert.equal(r.code, 0, r.stderr);
    const row = page.locator("table.containers tbody tr", { has: page.getByRole("link", { name, exact: true }) });
    await row.locator(".state.running").waitFor();
    const port = row.locator("td a[href^='http://']").first();
    assert.match((await port.getAttribute("href")) ?? "", /^http:\/\/127\.0\.0\.1:\d+\/?$/, "a published port is a link");
    await screenshot(page, "containers");

    await row.getByRole("button", { name: `Stop ${name}` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Stop" }).click();
    await row.locator(".state.exited").waitFor({ timeout: 30_000 });
    const ps = await dk(["ps", "--filter", `name=^${name}$`, "--format", "{{.Names}}"]);
    assert.equal(ps.stdout.trim(), "", "docker ps no longer lists it");
    const all = await dk(["ps", "-a", "--filter", `name=^${name}$`, "--format", "{{.State}}"]);
    assert.equal(all.stdout.trim(), "exited");
  });

  test("search and the state filter narrow the list; / focuses the search", async () => {
    const other = uniqueName("ui-other");
    made.push(other);
    assert.equal((await dk(["create", "--name", other, "--label", "tier=backend", "busybox"])).code, 0);
    const rows = page.locator("table.containers tbody tr");
    await page.getByRole("link", { name: other, exact: true }).waitFor();
    await page.locator("body").press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "c-search");
    await page.keyboard.type("tier=backend");
    await waitFor("only the labelled container", async () => (await rows.count()) === 1 && (await rows.getByRole("link", { name: other, exact: true }).count()) === 1);
    await page.getByLabel("Search containers").fill("");
    await page.getByLabel("State").selectOption("created");
    await waitFor("only created containers", async () => (await rows.count()) === 1 && (await rows.locator(".state.created").count()) === 1);
    await page.getByLabel("State").selectOption("all");
  });

  test("the page raised no script errors", () => {
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  });
});
