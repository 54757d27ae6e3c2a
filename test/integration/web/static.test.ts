/**
 * How the server serves the web app: the page with its CSP and no-cache, hashed bundles cached for good, the
 * API key not needed for the page (only for /v1), a clear 503 when the app was never built, none when disabled.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { start } from "../server/helpers.ts";
import { buildWebApp } from "./browser.ts";

type Started = Awaited<ReturnType<typeof start>>;
let built: Started;
const others: Started[] = [];

before(async () => {
  buildWebApp();
  built = await start({ apiKey: "k" });
});
after(async () => {
  await built?.stop();
  for (const s of others) await s.stop();
});

test("the page and its bundles: CSP on the page, long caching for hashed files, no key needed for them", async () => {
  const page = await fetch(`${built.url}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type")!, /text\/html/);
  assert.match(page.headers.get("content-security-policy")!, /default-src 'self'.*connect-src 'self'/);
  assert.equal(page.headers.get("cache-control"), "no-cache");
  const html = await page.text();
  const entry = /src="\.\/(main-[\w]+\.js)"/.exec(html)?.[1];
  assert.ok(entry && readdirSync("dist/web").includes(entry), "the page loads the built entry");
  const js = await fetch(`${built.url}/${entry}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get("content-type")!, /javascript/);
  assert.match(js.headers.get("cache-control")!, /immutable/);
  assert.doesNotMatch(html + (await js.text()), /https?:\/\/(?!vega\.github\.io\/schema|www\.w3\.org)[\w.-]+\//, "nothing is loaded from another origin");
  assert.equal((await fetch(`${built.url}/v1/models`)).status, 401, "the API still wants its key");
});

test("an app never built: / says how to build it; webDir false: no app at all", async () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), "hporec-noweb-"));
  const unbuilt = await start({ webDir: empty });
  others.push(unbuilt);
  const r = await fetch(`${unbuilt.url}/`);
  assert.equal(r.status, 503);
  const body = (await r.json()) as any;
  assert.equal(body.error.code, "web_app_not_built");
  assert.match(body.error.message, /npm run build:web/);

  const off = await start({ webDir: false });
  others.push(off);
  const r2 = await fetch(`${off.url}/`);
  assert.equal(r2.status, 404);
  assert.equal(((await r2.json()) as any).error.code, "not_found");
  assert.equal((await fetch(`${off.url}/health`)).status, 200);
});
