import assert from "node:assert/strict";
import http from "node:http";
import type net from "node:net";
import { after, before, describe, test } from "node:test";
import type { Browser, Request } from "playwright-core";
import WebSocket from "ws";
import { dashboardUrl, launchBrowser, openDashboard, origin } from "../../helpers/browser.js";
import { run, startTestDaemon, TestDaemon, uniqueName, WHARF } from "../../helpers/daemon.js";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request to the dashboard, with exactly the headers given (no client adds Origin or Sec-Fetch-*). */
function ask(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers: { ...(body ? { "Content-Type": "application/json" } : {}), ...headers } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Opens a websocket and reports the HTTP status it was refused with (101 when accepted). */
function wsStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on("open", () => (ws.close(), resolve(101)));
    ws.on("unexpected-response", (_req, res) => (res.resume(), resolve(res.statusCode ?? 0)));
    ws.on("error", () => resolve(0));
  });
}

/**
 * Access to the dashboard (issue 16): nothing without the session token, no
 * action without the CSRF token or from another origin (also from a real
 * attacking page in the browser), no markup from labels rendered as HTML.
 */
describe("dashboard: access control", () => {
  let d: TestDaemon;
  let base: string;
  let token: string;
  let browser: Browser;
  let victim: string;
  const dk = (args: string[]) => run("docker", args, { env: d.env, timeoutMs: 60_000 });
  const running = async () => (await dk(["inspect", "-f", "{{.State.Running}}", victim])).stdout.trim() === "true";

  before(async () => {
    d = await startTestDaemon(["--ui-addr", "127.0.0.1:0"]);
    const url = await dashboardUrl(d);
    base = origin(url);
    token = new URL(url).hash.replace("#token=", "");
    victim = uniqueName("ui-victim");
    const r = await dk(["run", "-d", "--name", victim, "--stop-timeout", "1", "busybox", "sleep", "300"]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await dk(["rm", "-f", victim]).catch(() => undefined);
    await d?.stop();
  });

  test("without the token: every API path, the session and the live websocket answer 401, and a forged stop does nothing", async () => {
    for (const [method, path] of [["GET", "/api/containers/json"], ["GET", "/api/info"], ["POST", `/api/containers/${victim}/stop`], ["DELETE", `/api/containers/${victim}?force=1`], ["GET", "/ui/session"]]) {
      const a = await ask(base, method, path);
      assert.equal(a.status, 401, `${method} ${path}: ${a.body}`);
      assert.match(JSON.parse(a.body).message, /token the daemon printed/);
    }
    assert.equal((await ask(base, "POST", "/ui/login", {}, JSON.stringify({ token: "x".repeat(43) }))).status, 401);
    assert.equal((await ask(base, "POST", `/api/containers/${victim}/kill`, { Authorization: "Bearer wrong" })).status, 401);
    assert.equal(await wsStatus(`${base.replace("http", "ws")}/ui/live`), 401);
    assert.equal(await running(), true, "the forged requests stopped nothing");
  });

  test("the shell page carries a strict CSP and no data; a wrong Host (DNS rebinding) is refused", async () => {
    const page = await ask(base, "GET", "/");
    assert.equal(page.status, 200);
    assert.match(String(page.headers["content-security-policy"]), /script-src 'self'/);
    assert.match(String(page.headers["content-security-policy"]), /frame-ancestors 'none'/);
    assert.equal(page.headers["x-frame-options"], "DENY");
    assert.doesNotMatch(page.body, new RegExp(victim));
    const port = new URL(base).port;
    const rebound = await ask(base, "GET", "/api/containers/json", { Host: `attacker.example:${port}`, Authorization: `Bearer ${token}` });
    assert.equal(rebound.status, 403);
  });

  test("a session cookie without the CSRF header, or from another origin, cannot act (403); the API's own checks still apply", async () => {
    const login = await ask(base, "POST", "/ui/login", {}, JSON.stringify({ token }));
    assert.equal(login.status, 200);
    const setCookie = String(login.headers["set-cookie"]);
    assert.match(setCookie, /; HttpOnly/);
    assert.match(setCookie, /; SameSite=Strict/);
    const cookie = setCookie.split(";")[0]!;
    const { csrf } = JSON.parse(login.body) as { csrf: string };
    assert.equal((await ask(base, "GET", "/api/containers/json", { Cookie: cookie })).status, 200, "reads need only the session");
    const noCsrf = await ask(base, "POST", `/api/containers/${victim}/stop`, { Cookie: cookie });
    assert.equal(noCsrf.status, 403, noCsrf.body);
    const wrongCsrf = await ask(base, "POST", `/api/containers/${victim}/stop`, { Cookie: cookie, "X-Wharf-Csrf": "A".repeat(32) });
    assert.equal(wrongCsrf.status, 403);
    const foreign = await ask(base, "POST", `/api/containers/${victim}/stop`, { Cookie: cookie, "X-Wharf-Csrf": csrf, Origin: "http://127.0.0.1:1" });
    assert.equal(foreign.status, 403);
    const sameSite = await ask(base, "POST", `/api/containers/${victim}/stop`, { Cookie: cookie, "X-Wharf-Csrf": csrf, "Sec-Fetch-Site": "same-site" });
    assert.equal(sameSite.status, 403);
    assert.equal(await wsStatus(`${base.replace("http", "ws")}/ui/live`, { Cookie: cookie }), 403, "a websocket needs the CSRF token too");
    assert.equal(await running(), true);
    // Through the dashboard the API's own router and checks answer, as on the socket.
    const tooNew = await ask(base, "GET", "/api/v9.99/info", { Cookie: cookie });
    assert.equal(tooNew.status, 400);
    assert.match(JSON.parse(tooNew.body).message, /client version 9\.99 is too new/);
    const badName = await ask(base, "POST", "/api/containers/create?name=bad%20name", { Cookie: cookie, "X-Wharf-Csrf": csrf }, JSON.stringify({ Image: "busybox" }));
    assert.equal(badName.status, 400, badName.body);
    // The scripted way in (Bearer) and a correct CSRF token both work.
    assert.equal((await ask(base, "GET", "/api/_ping", { Authorization: `Bearer ${token}` })).status, 200);
    assert.equal((await ask(base, "POST", "/ui/logout", { Cookie: cookie, "X-Wharf-Csrf": csrf })).status, 204);
    assert.equal((await ask(base, "GET", "/api/containers/json", { Cookie: cookie })).status, 401, "logged out");
  });

  test("in the browser: an attacking page on another loopback port cannot stop a container, even with the victim logged in", async () => {
    browser = await launchBrowser();
    const { context, page } = await openDashboard(browser, await dashboardUrl(d));
    // The attacker: same host, other port (same-site, so SameSite=Strict alone would let the cookie through).
    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(`<!doctype html><form id=f method=POST action="${base}/api/containers/${victim}/stop" enctype="text/plain"><input name=a value=b></form>
<script>fetch(${JSON.stringify(`${base}/api/containers/${victim}/kill`)}, {method: "POST", mode: "no-cors", credentials: "include"}).finally(() => document.getElementById("f").submit());</script>`);
    });
    await new Promise<void>((r) => evil.listen(0, "127.0.0.1", r));
    try {
      const attack = await context.newPage();
      // Both forged requests leave the browser; the page can read neither answer.
      const outcome = (verb: string) =>
        new Promise<string>((resolve) => {
          const mine = (r: Request) => r.url() === `${base}/api/containers/${victim}/${verb}`;
          context.on("requestfinished", (r) => void (mine(r) && r.response().then((a) => resolve(String(a?.status())))));
          context.on("requestfailed", (r) => void (mine(r) && resolve(`failed ${r.failure()?.errorText}`)));
        });
      const killed = outcome("kill");
      const stopped = outcome("stop");
      await attack.goto(`http://127.0.0.1:${(evil.address() as net.AddressInfo).port}/`);
      assert.equal(await stopped, "403", "the form post was refused");
      // The fetch's answer (a 403) is withheld from the attacking page by Cross-Origin-Resource-Policy.
      assert.match(await killed, /^(403|failed .*NotSameOrigin)$/);
      assert.equal(await running(), true, "the container still runs");
      await page.close();
    } finally {
      evil.close();
    }
  });

  test("labels holding markup render as text: no element is injected, no script runs", async () => {
    const name = uniqueName("ui-xss");
    const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b>`;
    const r = await dk(["create", "--name", name, "--label", `com.docker.compose.project=${payload}`, "--label", `note=${payload}`, "busybox"]);
    assert.equal(r.code, 0, r.stderr);
    try {
      const { context, page } = await openDashboard(browser, await dashboardUrl(d));
      const row = page.locator("table.containers tbody tr", { has: page.getByRole("link", { name, exact: true }) });
      await row.waitFor();
      assert.equal(await row.locator(".tag").textContent(), payload, "the project label is shown as text");
      await row.getByRole("link", { name, exact: true }).click();
      await page.getByText("Labels (2)").click();
      assert.deepEqual((await page.locator("ul.labels code").allTextContents()).sort(), ["com.docker.compose.project", "note", payload, payload].sort());
      assert.equal(await page.locator("main img, main script, main b").count(), 0, "no markup from the label became an element");
      assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
      await context.close();
    } finally {
      await dk(["rm", "-f", name]);
    }
  });

  test("a routable ui-addr without TLS is refused at start, with what to do instead", async () => {
    const t = new TestDaemon();
    try {
      const r = await run(process.execPath, [WHARF, "daemon", "-H", t.host, "--data-root", t.dataRoot, "--exec-root", t.execRoot, "--pidfile", t.pidfile, "--ui-addr", "0.0.0.0:0"], { timeoutMs: 60_000 });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /refusing to serve the dashboard on 0\.0\.0\.0:0 without TLS.*loopback address.*--tlsverify/s);
    } finally {
      await t.stop();
    }
  });
});
