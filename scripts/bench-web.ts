/**
 * The web app's first load in Debian's chromium against `hporec serve` on loopback: time to interactive (the
 * app's "hporec-interactive" mark: scripts loaded, API answered, view drawn) and time from sending a chat question
 * to its card with the drivers chart, each as a median over --runs fresh pages, and as a ratio to the same
 * browser loading a reference page of the same server (GET /health), which absorbs the machine's load. Also the
 * JavaScript of the first load, gzipped.
 *
 * Usage: npx tsx scripts/bench-web.ts [--runs 7]
 */
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { buildWebApp, launch, serve } from "../test/integration/web/browser.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "7" } } });
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

buildWebApp();
const server = await serve();
const browser = await launch();
try {
  const reference: number[] = [];
  const interactive: number[] = [];
  const toCard: number[] = [];
  let firstLoadGz = 0;
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.createBrowserContext(); // a cold cache each time
    const page = await ctx.newPage();
    await page.goto(`${server.url}/health`);
    reference.push(await page.evaluate(() => performance.getEntriesByType("navigation")[0].duration));
    const scripts: Promise<number>[] = [];
    page.on("response", (r) => void (r.url().endsWith(".js") && scripts.push(r.buffer().then((b) => gzipSync(b, { level: 9 }).length))));
    await page.goto(server.url);
    await page.waitForFunction(() => performance.getEntriesByName("hporec-interactive").length > 0);
    interactive.push(await page.evaluate(() => performance.getEntriesByName("hporec-interactive")[0].startTime));
    firstLoadGz = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
    await page.type("#chat-input", `about ${3000 + i} dermoscopy images in 7 classes, 224 px, 2 GPU-hours`);
    const t0 = await page.evaluate(() => performance.now());
    await page.click(".composer button[type=submit]");
    await page.waitForSelector(".card figure.chart svg .mark-rect path", { timeout: 60_000 });
    toCard.push((await page.evaluate(() => performance.now())) - t0);
    await ctx.close();
  }
  const ref = median(reference);
  const report = {
    runs,
    firstLoadJsGzipKB: Math.round(firstLoadGz / 102.4) / 10,
    referenceMs: Math.round(ref),
    timeToInteractiveMs: Math.round(median(interactive)),
    timeToInteractiveRatio: Math.round((median(interactive) / ref) * 10) / 10,
    questionToCardWithChartMs: Math.round(median(toCard)),
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await browser.close();
  await server.stop();
}
