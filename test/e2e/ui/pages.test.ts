import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { dashboardUrl, launchBrowser, openDashboard, origin, screenshot } from "../../helpers/browser.js";
import { run, startTestDaemon, uniqueName, waitFor, type TestDaemon } from "../../helpers/daemon.js";
import { startDistributionRegistry, type TestRegistry } from "../registry/registries.js";

/**
 * The dashboard's views in a real headless Chromium (issue 16): follow a
 * container's logs, run `echo hi` in the in-browser terminal, pull from a
 * loopback registry (Debian's docker-registry) with the progress bar, remove
 * a volume; a screenshot of every page lands in test-artifacts/ui/.
 */
describe("dashboard: views in a browser", () => {
  let d: TestDaemon;
  let reg: TestRegistry;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let errors: string[] = [];
  const liveSockets: string[] = [];
  const chatty = uniqueName("ui-chatty");
  const dk = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 120_000 });
  const go = async (hash: string, heading: string | RegExp) => {
    await page.goto(`${base}/#/${hash}`);
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  };

  before(async () => {
    [d, reg] = await Promise.all([startTestDaemon(["--ui-addr", "127.0.0.1:0"]), startDistributionRegistry()]);
    // A container that prints to stdout and stderr, grouped in a compose project.
    const r = await dk(["run", "-d", "--name", chatty, "--stop-timeout", "1", "--label", "com.docker.compose.project=uidemo", "--label", "com.docker.compose.service=talker",
      "busybox", "sh", "-c", "i=0; while :; do echo line $i; echo oops $i >&2; i=$((i+1)); sleep 0.3; done"]);
    assert.equal(r.code, 0, r.stderr);
    browser = await launchBrowser();
    const url = await dashboardUrl(d);
    base = origin(url);
    ({ context, page, errors } = await openDashboard(browser, url));
    page.on("websocket", (ws) => void (ws.url().includes("/ui/live") && liveSockets.push(ws.url())));
  });
  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await dk(["rm", "-f", chatty]).catch(() => undefined);
    await Promise.all([d?.stop(), reg?.stop()]);
  });

  test("logs follow live, stderr has its own colour, search and timestamps work", async () => {
    await go(`containers/${chatty}/logs`, new RegExp(chatty));
    const log = page.getByRole("log", { name: "Container logs" });
    await log.locator(".stdout", { hasText: /^line 2$/ }).waitFor();
    const seen = await log.locator(".stdout").count();
    // Lines printed after the page opened arrive on their own (follow).
    await log.locator(".stdout", { hasText: new RegExp(`^line ${seen + 3}$`) }).waitFor();
    assert.ok((await log.locator(".stderr", { hasText: /^oops \d+$/ }).count()) > 0, "stderr lines are marked");
    const colours = await log.evaluate((el) => [getComputedStyle(el.querySelector(".stdout")!).color, getComputedStyle(el.querySelector(".stderr")!).color]);
    assert.notEqual(colours[0], colours[1], "stdout and stderr differ in colour");
    await page.getByLabel("Timestamps").check();
    assert.match((await log.locator(".ts").first().textContent()) ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    await page.getByLabel("Search the logs").fill("oops");
    await waitFor("only matching lines", async () => (await log.locator(".stdout").count()) === 0 && (await log.locator("mark").count()) > 0);
    await screenshot(page, "container-logs");
  });

  test("stats, processes and inspect views of the container render", async () => {
    await go(`containers/${chatty}/stats`, new RegExp(chatty));
    await page.locator("canvas").first().waitFor();
    await screenshot(page, "container-stats");
    await go(`containers/${chatty}/top`, new RegExp(chatty));
    await page.getByRole("cell", { name: /while :/ }).first().waitFor();
    await screenshot(page, "container-top");
    await go(`containers/${chatty}/inspect`, new RegExp(chatty));
    await page.getByText(/"Hostname"/).first().waitFor();
  });

  test("the in-browser terminal runs `echo hi` in the container", async () => {
    await go(`containers/${chatty}/terminal`, new RegExp(chatty));
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByText("connected", { exact: true }).waitFor();
    const rows = page.locator(".xterm-rows > div");
    await waitFor("the shell's prompt", async () => (await rows.allTextContents()).some((l) => /#\s*$/.test(l.trim() + " ")));
    await page.locator(".xterm-helper-textarea").focus();
    await page.keyboard.type("echo hi\n");
    await waitFor("`hi` on its own line after the command", async () => {
      const lines = (await rows.allTextContents()).map((l) => l.replace(/\u00a0/g, " ").trim());
      const cmd = lines.findIndex((l) => l.endsWith("echo hi"));
      return cmd >= 0 && lines[cmd + 1] === "hi";
    });
    await screenshot(page, "container-terminal");
  });

  test("an image pulled from a loopback registry shows a progress bar that completes; docker images agrees", async () => {
    const ref = `${reg.host}/ui/pulled:${uniqueName("v")}`;
    // A one-layer image of random bytes: its layer is not in the daemon once removed, so the pull downloads it.
    const made = await run("sh", ["-c", `set -e; dir=$(mktemp -d); head -c 6000000 /dev/urandom > $dir/blob; tar -C $dir -c blob | docker import - ${ref}; rm -rf $dir`], { env: d.env });
    assert.equal(made.code, 0, made.stderr);
    for (const args of [["push", ref], ["rmi", ref]]) {
      const r = await dk(args);
      assert.equal(r.code, 0, `docker ${args.join(" ")}: ${r.stderr}`);
    }
    await go("images", "Images");
    await page.locator("#pull-ref").fill(ref);
    await page.getByRole("button", { name: "Pull", exact: true }).click();
    const bar = page.locator("progress");
    await bar.waitFor();
    await waitFor("the progress bar at 100 %", async () => (await bar.getAttribute("value")) === "100");
    await page.getByText("100 % · 1 layers").waitFor();
    await page.getByText(`Pulled ${ref}`).waitFor();
    await page.getByRole("cell", { name: ref.split(":").slice(0, 2).join(":") }).first().waitFor();
    await screenshot(page, "images");
    const r = await dk(["image", "inspect", "-f", "{{.Id}}", ref]);
    assert.equal(r.code, 0, r.stderr);
  });

  test("a volume is removed from the volumes page after confirmation; docker volume ls agrees", async () => {
    const vol = uniqueName("ui-vol");
    assert.equal((await dk(["volume", "create", vol])).code, 0);
    await go("volumes", "Volumes");
    await page.getByRole("button", { name: `Remove volume ${vol}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
    await page.getByRole("button", { name: `Remove volume ${vol}` }).waitFor({ state: "detached" });
    const ls = await dk(["volume", "ls", "-q"]);
    assert.doesNotMatch(ls.stdout, new RegExp(`^${vol}$`, "m"));
    await screenshot(page, "volumes");
  });

  test("the other pages render (screenshots), all fed by a single live websocket", async () => {
    for (const [hash, heading, name] of [
      ["containers", "Containers", "containers"],
      ["compose", "Compose projects", "compose"],
      ["networks", "Networks", "networks"],
      ["events", "Events", "events"],
      ["system", "System", "system"],
    ] as const) {
      await go(hash, heading);
      if (name === "events") await page.locator("table tbody tr").first().waitFor();
      if (name === "compose") await page.getByRole("heading", { level: 2, name: /uidemo/ }).waitFor();
      await screenshot(page, name);
    }
    assert.equal(liveSockets.length, 0, "navigating inside the page keeps the one websocket opened at login");
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  });

  test("a phone-sized viewport shows the containers page without horizontal scrolling, and the keyboard reaches the actions", async () => {
    const phone = await openDashboard(browser, await dashboardUrl(d), { width: 390, height: 844 });
    try {
      const p = phone.page;
      await p.getByRole("link", { name: chatty, exact: true }).waitFor();
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await screenshot(p, "containers-phone");
      // Tab from the start of the page reaches the container's Stop button.
      let reached = false;
      for (let i = 0; i < 40 && !reached; i++) {
        await p.keyboard.press("Tab");
        reached = await p.evaluate((n) => document.activeElement?.getAttribute("aria-label") === `Stop ${n}`, chatty);
      }
      assert.ok(reached, "Stop is reachable with Tab");
    } finally {
      await phone.context.close();
    }
  });
});
