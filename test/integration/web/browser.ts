/**
 * Debian's chromium driven by puppeteer-core (which never downloads a browser), and a real `hporec serve`
 * child process on a random loopback port. Console errors of every page are collected for the whole run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

export const CHROMIUM = process.env.HPOREC_CHROMIUM ?? "/usr/bin/chromium";
/** Screenshots and figures of the run (PNG, JSON); HPOREC_WEB_ARTIFACTS moves them. */
export const ARTIFACTS = process.env.HPOREC_WEB_ARTIFACTS ?? path.join(os.tmpdir(), "hporec-web-artifacts");

/** Chromium is installed by scripts/setup: missing in CI is a failure, locally a skip with the reason. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `${CHROMIUM} not found: run scripts/setup (apt-get install chromium) or set HPOREC_CHROMIUM`;
  if (process.env.CI === "true") throw new Error(why);
  return why;
}

/** Builds the app as `npm ci` does when a source changed since, so the tests serve the current sources. */
export function buildWebApp(): void {
  const r = spawnSync(process.execPath, ["scripts/build-web.mjs", "--if-stale"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scripts/build-web.mjs failed:\n${r.stderr}${r.stdout}`);
}

export interface Served {
  url: string;
  stop: () => Promise<void>;
}

/** `hporec serve` on port 0 with the default pack; resolves once it prints its URL. */
export async function serve(extraArgs: string[] = []): Promise<Served> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "hporec-web-state-"));
  const child: ChildProcess = spawn(
    process.execPath,
    ["bin/hporec.js", "serve", "--port", "0", "--workers", "0", "--candidates", "200", "--log-level", "warn", "--state-dir", stateDir, ...extraArgs],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`hporec serve exited with ${code} before serving:\n${err}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // --no-sandbox: the tests run as root in CI; the pages are our own app on loopback.
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"] });
}

export interface ConsoleEntry {
  page: string;
  text: string;
}

/**
 * A page whose console errors and uncaught exceptions land in `errors` (a CSP refusal is one), and whose
 * requests go to `requests` (to check that nothing leaves the server's origin).
 */
export async function openPage(browser: Browser, errors: ConsoleEntry[], viewport = { width: 1280, height: 900 }, requests: string[] = []): Promise<Page> {
  const page = await browser.newPage();
  // Waits fail a test only when something never happens: generous, since CI runs two test files at once on a
  // possibly cold machine (speed is measured in scripts/bench-*, not here).
  page.setDefaultTimeout(120_000);
  await page.setViewport(viewport);
  page.on("request", (r) => void requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push({ page: page.url(), text: `${m.text()} ${m.location()?.url ?? ""}`.trim() });
  });
  page.on("pageerror", (e) => errors.push({ page: page.url(), text: `uncaught: ${(e as Error).message}` }));
  return page;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file as `${string}.png`, fullPage: true });
  return file;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (no inline scripts) does not apply to.
  await page.evaluate(readFileSync(path.resolve("node_modules/axe-core/axe.min.js"), "utf8"));
  const violations = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: any) => n.target.join(" ")).slice(0, 3) }));
  });
  return violations.filter((v: any) => v.impact === "serious" || v.impact === "critical").map((v: any) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.join("; ")})`);
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

/** Clicks the button with this exact text (fails when there is none). */
export async function clickButton(page: Page, label: string): Promise<void> {
  const found = await page.evaluate((l) => {
    const b = [...document.querySelectorAll("button")].find((x) => x.textContent?.trim() === l);
    b?.click();
    return b !== undefined;
  }, label);
  assert.ok(found, `a button "${label}"`);
}

// innerText on purpose: the text as the user sees it laid out (cells apart, hidden parts left out).
// biome-ignore lint/performance/useDomNodeTextContent: see above
export const text = (page: Page, selector: string) => page.$eval(selector, (e) => (e as HTMLElement).innerText);

/**
 * For a describe block: builds the app, starts `hporec serve` and chromium before its tests, closes both after
 * (then runs `finally`). The returned object is filled in by the time the tests run.
 */
export function serveAndLaunch(finally_?: () => void): { server: Served; browser: Browser } {
  const live = {} as { server: Served; browser: Browser };
  before(async () => {
    buildWebApp();
    [live.server, live.browser] = await Promise.all([serve(), launch()]);
  });
  after(async () => {
    await live.browser?.close();
    await live.server?.stop();
    finally_?.();
  });
  return live;
}
