/**
 * The study view in Debian's chromium against a real `hporec serve`: start a study from a recommendation card,
 * ask, tell a value (a missing one first: the server's 400 at its field), tell an out-of-memory run, see the
 * trials and the best-so-far plot, ask again for a configuration not yet run, tell it as a fraction (warned) and
 * forget it, find the study again in the list of studies. The view's code loads on demand.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Page } from "puppeteer-core";
import { axeViolations, chromiumMissing, clickButton, type ConsoleEntry, openPage, postJson, screenshot, serveAndLaunch, text } from "./browser.ts";

const skip = chromiumMissing();
const consoleErrors: ConsoleEntry[] = [];
/** The one 400 this test provokes on purpose (a result without a value). */
const EXPECTED_HTTP_ERRORS = /Failed to load resource: the server responded with a status of 400/;

const suggested = (page: Page) => page.$$eval('[data-testid="suggestions"] li', (lis) => lis.map((l) => l.getAttribute("data-candidate")!));
const trialRows = (page: Page) =>
  // biome-ignore lint/performance/useDomNodeTextContent: the row as the user reads it
  page.$$eval('[data-testid="trials"] tbody tr', (trs) => trs.map((t) => ({ cls: t.className, text: (t as HTMLElement).innerText })));

describe("study view in chromium", { skip }, () => {
  const live = serveAndLaunch();

  test("start a study from a card, ask, tell a value and a failure, see trials and plot, ask again", async () => {
    const requests: string[] = [];
    const page = await openPage(live.browser, consoleErrors, { width: 1280, height: 900 }, requests);
    await page.goto(`${live.server.url}/#/form`);
    await page.waitForSelector("#f-samples");
    for (const [f, v] of [["name", "skin"], ["samples", "3000"], ["classes", "7"], ["imageSize", "224"], ["channels", "3"]]) await page.type(`#f-${f}`, v);
    await page.click("form button[type=submit]");
    await page.waitForSelector('.card [data-testid="model"]', { timeout: 60_000 });
    const model = await text(page, '[data-testid="model"]');
    assert.deepEqual(requests.filter((u) => /\/chunks\/study-/.test(u)), [], "the study view's code is not loaded before it is opened");

    await clickButton(page, "Start a study");
    await page.waitForSelector("#s-n", { timeout: 30_000 });
    const id = decodeURIComponent(/#\/study\/(.+)$/.exec(page.url())![1]);
    assert.ok(requests.some((u) => /\/chunks\/study-/.test(u)), "the study view's code loads when opened");
    const created = await (await fetch(`${live.server.url}/v1/studies/${id}`)).json();
    assert.equal(created.study.request.dataset.name, "skin");
    assert.equal(created.study.request.dataset.metaFeatures.n_samples, 3000);
    assert.match(await text(page, "#study-title"), /Study · skin/);
    assert.match(await text(page, "main"), /No result told yet/);

    // Two at once: with nothing told, the first is the zero-shot recommendation the card showed.
    await page.click("#s-n", { clickCount: 3 });
    await page.type("#s-n", "2");
    await clickButton(page, "Ask");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="suggestions"] li').length === 2, { timeout: 60_000 });
    const [first, second] = await suggested(page);
    assert.notEqual(first, second);
    assert.match(await text(page, `[data-candidate="${first}"]`), new RegExp(`^${model} `));
    const drivers = await text(page, `[data-candidate="${first}"] [data-testid="suggestion-drivers"]`);
    assert.match(drivers, /^Driven by .+ · evidence .*model:/);
    // The pick is driven by linear_probing, whose effect in the past runs is training length: marked, and the mark explained.
    assert.match(drivers, /linear_probing = 0 \([-+][\d.]+\) \(\*\)/);
    assert.match(await text(page, '[data-testid="training-length-mark"]'), /^\(\*\) in the past runs this driver's effect is mostly how long runs trained/);

    // Tell without a value: the server's 400 at the value field, focused.
    await clickButton(page, "Tell");
    await page.waitForSelector("#se-value");
    const direct = await postJson(`${live.server.url}/v1/studies/${id}/tell`, { config: first });
    assert.equal(direct.status, 400);
    assert.equal(await text(page, "#se-value"), direct.json.error.message);
    assert.equal(await page.$eval("#s-value", (e) => e.getAttribute("aria-invalid")), "true");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "s-value");

    // A value and its time for the first suggestion (selected by default).
    assert.equal(await page.$eval("#s-config", (e) => (e as HTMLSelectElement).value), first);
    await page.type("#s-value", "71.2");
    await page.type("#s-seconds", "3600");
    await clickButton(page, "Tell");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="trials"] tbody tr').length === 1, { timeout: 30_000 });
    assert.equal(await page.$("#se-value"), null, "the error is gone once fixed");
    let rows = await trialRows(page);
    assert.match(rows[0].text, new RegExp(`^1\\s+t1\\s+${model}\\s+${first}\\s+71\\.2 \\(best\\)\\s+60 min\\s+Forget$`));
    // The plot: the best-so-far line with one point per trial told a value.
    await page.waitForSelector(".study figure.chart svg .mark-line path", { timeout: 30_000 });

    // The second suggestion ran out of memory.
    assert.equal(await page.$eval("#s-config", (e) => (e as HTMLSelectElement).value), second);
    await page.select("#s-failed", "oom");
    await page.type("#s-reason", "CUDA out of memory");
    await clickButton(page, "Tell");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="trials"] tbody tr').length === 2, { timeout: 30_000 });
    rows = await trialRows(page);
    assert.equal(rows[1].cls, "failed");
    assert.match(rows[1].text, /failed: oom \(CUDA out of memory\)/);

    // What the page told is what the server holds.
    const held = await (await fetch(`${live.server.url}/v1/studies/${id}`)).json();
    assert.deepEqual(held.study.trials.map((t: any) => [t.candidateId, t.value, t.seconds, t.failed ?? null]), [
      [first, 71.2, 3600, null],
      [second, null, null, "oom"],
    ]);
    assert.equal(await text(page, '[data-testid="belief"]'), held.belief.explanation);
    assert.match(held.belief.explanation, /1 failed run.*Best so far: 71\.2 \(t1\)/s);

    // Asking again: a configuration not run yet.
    await page.click("#s-n", { clickCount: 3 });
    await page.type("#s-n", "1");
    await clickButton(page, "Ask");
    await page.waitForFunction((told) => {
      const li = document.querySelectorAll('[data-testid="suggestions"] li');
      return li.length === 1 && !told.includes(li[0].getAttribute("data-candidate")!);
    }, { timeout: 60_000 }, [first, second]);
    await page.waitForSelector(".study figure.chart svg .mark-line path");
    const [third] = await suggested(page);

    // A value typed as a fraction: told, with the server's warning beside the form; Forget takes it back.
    assert.equal(await page.$eval("#s-config", (e) => (e as HTMLSelectElement).value), third);
    await page.type("#s-value", "0.712");
    await clickButton(page, "Tell");
    await page.waitForSelector('[aria-label="told result warnings"] li', { timeout: 30_000 });
    assert.match(await text(page, '[aria-label="told result warnings"] li'), /^t3: 0\.712 looks like a fraction: top1_accuracy in the past runs goes from [\d.]+ to 100, so 71\.2 % is told as 71\.2.*Forget it in the table below if it is wrong/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="trials"] tbody tr').length === 3, { timeout: 30_000 });
    await page.click('button[aria-label="Forget trial t3"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="trials"] tbody tr').length === 2, { timeout: 30_000 });
    assert.equal(await page.$('[aria-label="told result warnings"]'), null, "the warning goes with the trial");
    assert.deepEqual((await (await fetch(`${live.server.url}/v1/studies/${id}`)).json()).study.trials.map((t: any) => t.id), ["t1", "t2"]);

    // The forgotten one is running again (asked, no result): left out of the next ask, which says so; ticking
    // "Offer running ones again" brings it back (the learner's first choice with the same two results told).
    await clickButton(page, "Ask");
    await page.waitForFunction((prev) => {
      const li = document.querySelectorAll('[data-testid="suggestions"] li');
      return li.length === 1 && li[0].getAttribute("data-candidate") !== prev;
    }, { timeout: 60_000 }, third);
    assert.match(await text(page, '[aria-label="warnings"]'), new RegExp(`running configuration.*left out: .*${third}`, "s"));
    await page.click("#s-includeRunning");
    await clickButton(page, "Ask");
    await page.waitForFunction((want) => document.querySelector('[data-testid="suggestions"] li')?.getAttribute("data-candidate") === want, { timeout: 60_000 }, third);
    await screenshot(page, "study-desktop");
    assert.deepEqual(await axeViolations(page), [], "axe: study view with trials and plot");

    // The Study tab without a study open lists the server's studies; a row opens its study.
    await page.goto(`${live.server.url}/#/study`);
    await page.waitForSelector('[data-testid="study-list"] tbody tr', { timeout: 30_000 });
    // biome-ignore lint/performance/useDomNodeTextContent: the row as the user reads it
    const listed = await page.$$eval('[data-testid="study-list"] tbody tr', (trs) => trs.map((t) => (t as HTMLElement).innerText));
    const running = (await (await fetch(`${live.server.url}/v1/studies/${id}`)).json()).running.length;
    assert.ok(running >= 2, `the forgotten one and the one asked after it run: ${running}`);
    assert.match(listed[0], new RegExp(`^skin\\s+2\\s+${running}\\s+71\\.2\\s+\\S`));
    assert.deepEqual(await axeViolations(page), [], "axe: the study list");
    await page.click(`[data-testid="study-list"] a[href="#/study/${encodeURIComponent(id)}"]`);
    await page.waitForSelector('[data-testid="trials"] tbody tr', { timeout: 30_000 });
    assert.match(await text(page, "#study-title"), /Study · skin/);
    assert.equal((await trialRows(page)).length, 2);

    // Phone width: the view fits without sideways scrolling.
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await page.reload();
    await page.waitForSelector(".study figure.chart svg .mark-line path", { timeout: 30_000 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "phone: the study view fits the width");
    await screenshot(page, "study-phone");
    await page.close();
  });

  test("no JavaScript errors in the console", () => {
    assert.deepEqual(consoleErrors.filter((e) => !EXPECTED_HTTP_ERRORS.test(e.text)), []);
  });
});
