// `npm run bench:ui`: how long the dashboard's containers page takes to
// render 500 containers once their list arrived (issue 16's target: < 200 ms),
// in Debian's headless chromium against a private daemon. Not part of CI: it
// creates 500 containers (created, never started) and reloads the page a few times.
import { launchBrowser, dashboardUrl, openDashboard } from "../test/helpers/browser.js";
import { api, startTestDaemon } from "../test/helpers/daemon.js";

const COUNT = Number(process.env.WHARF_UI_BENCH_CONTAINERS ?? 500);
const RUNS = 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const d = await startTestDaemon(["--ui-addr", "127.0.0.1:0"]);
  try {
    let next = 0;
    const worker = async () => {
      while (next < COUNT) {
        const i = next++;
        const r = await api(d.socket, "POST", `/containers/create?name=uib-${d.id}-${i}`, { Image: "busybox", Cmd: ["true"], Labels: { "com.docker.compose.project": `p${i % 20}` } });
        if (r.status !== 201) throw new Error(`create ${i}: ${r.status} ${r.body}`);
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 6 }, worker));
    process.stderr.write(`created ${COUNT} containers in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const browser = await launchBrowser();
    try {
      const { page } = await openDashboard(browser, await dashboardUrl(d));
      const render: number[] = [];
      const paint: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        if (run > 0) await page.reload();
        await page.waitForFunction((n) => window.__wharf?.containersRows === n && window.__wharf?.containersPaintMs !== undefined, COUNT, { timeout: 60_000 });
        const w = await page.evaluate(() => window.__wharf!);
        render.push(w.containersRenderMs!);
        paint.push(w.containersPaintMs!);
      }
      console.log(`| containers page, ${COUNT} rows | render (data → DOM) median ${median(render).toFixed(0)} ms | to next paint median ${median(paint).toFixed(0)} ms | target < 200 ms | runs ${RUNS} |`);
    } finally {
      await browser.close();
    }
  } finally {
    await d.stop();
  }
}

declare global {
  interface Window {
    __wharf?: { containersRenderMs?: number; containersPaintMs?: number; containersRows?: number };
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
