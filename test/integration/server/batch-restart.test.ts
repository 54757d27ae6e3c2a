import { after, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import Database from "better-sqlite3";
import path from "node:path";
import { get, post, tempDir, CARD } from "./helpers.ts";
import { childServers, exited } from "./child-server.ts";

const stateDir = tempDir();
const servers = childServers(stateDir);
after(() => {
  servers.killAll();
  rmSync(stateDir, { recursive: true, force: true });
});
const serve = servers.serve;

/** Rows of the state database, read while no server holds it. */
function stateRows<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(stateDir, "state.sqlite"), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a batch job survives SIGTERM and SIGKILL mid-job and completes with every item exactly once", { timeout: 300_000 }, async () => {
  const N = 24;
  const items = Array.from({ length: N }, (_, i) => (i === 5 ? { card: { ...CARD, classes: 1 } } : { card: { ...CARD, samples: 1000 + 250 * i } }));

  let { child, url } = await serve();
  const submitted = await post(`${url}/v1/batch`, { items });
  assert.equal(submitted.status, 202);
  const id = submitted.json.id;

  // Graceful stop part-way: the process exits cleanly and the job stays resumable.
  await waitFor(async () => ((await get(`${url}/v1/batch/${id}`)).json.completed >= 3 ? true : undefined));
  child.kill("SIGTERM");
  assert.equal(await exited(child), 0);
  assert.equal(stateRows<{ status: string }>("SELECT status FROM jobs WHERE id = ?", id)[0].status, "running");

  // Restart, let it make progress, then kill it hard.
  ({ child, url } = await serve());
  const resumed = (await get(`${url}/v1/batch/${id}`)).json;
  const before = resumed.completed;
  assert.ok(before >= 3 && before < N, `resumed with ${before} done`);
  const progressed = await waitFor(async () => {
    const v = (await get(`${url}/v1/batch/${id}`)).json;
    return v.completed >= before + 3 ? v : undefined;
  });
  // updatedAt says when the running job last made progress, not when it started.
  assert.ok(Date.parse(progressed.updatedAt) > Date.parse(resumed.updatedAt), `${resumed.updatedAt} -> ${progressed.updatedAt}`);
  child.kill("SIGKILL");
  await exited(child);

  ({ child, url } = await serve());
  const done = await waitFor(async () => {
    const v = (await get(`${url}/v1/batch/${id}`)).json;
    return v.status === "done" ? v : undefined;
  });
  assert.equal(done.total, N);
  assert.equal(done.completed, N);
  assert.deepEqual(done.results.map((r: { index: number }) => r.index), Array.from({ length: N }, (_, i) => i));
  assert.equal(done.failed, 1);
  assert.equal(done.results[5].ok, false);
  assert.match(done.results[5].error.path, /classes/);
  for (const r of done.results.filter((r: { ok: boolean }) => r.ok)) assert.equal(r.recommendation.dataset.metaFeatures.n_samples, 1000 + 250 * r.index);
  // In the database too (read once the server has stopped): one whole result per item, none duplicated.
  child.kill("SIGTERM");
  assert.equal(await exited(child), 0);
  const rows = stateRows<{ idx: number; result: string }>("SELECT idx, result FROM job_results WHERE job_id = ? ORDER BY idx", id);
  assert.deepEqual(rows.map((r) => JSON.parse(r.result).index), Array.from({ length: N }, (_, i) => i));
  ({ child, url } = await serve());

  // Paging, cancel and 404.
  const page = (await get(`${url}/v1/batch/${id}?offset=20&limit=2`)).json;
  assert.deepEqual(page.results.map((r: { index: number }) => r.index), [20, 21]);
  const big = await post(`${url}/v1/batch`, { items: Array.from({ length: 200 }, () => ({ card: CARD })) });
  const cancelled = await fetch(`${url}/v1/batch/${big.json.id}`, { method: "DELETE" });
  assert.equal(cancelled.status, 200);
  const atCancel = await cancelled.json();
  assert.equal(atCancel.status, "cancelled");
  // The cancel answers with the results kept so far, as GET does.
  assert.equal(atCancel.results.length, atCancel.completed);
  await new Promise((r) => setTimeout(r, 500));
  const later = (await get(`${url}/v1/batch/${big.json.id}`)).json;
  assert.equal(later.status, "cancelled");
  assert.ok(later.completed < 200);
  assert.equal(later.results.length, later.completed);
  assert.equal((await get(`${url}/v1/batch/0000`)).status, 404);
  const bad = await post(`${url}/v1/batch`, { items: [{ card: CARD }, { card: CARD, objective: 7 }] });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.path, "body.items.1.objective");
  child.kill("SIGTERM");
  assert.equal(await exited(child), 0);
});
