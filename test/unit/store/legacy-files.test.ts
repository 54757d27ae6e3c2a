import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { openSqliteStore, STATE_FILE } from "../../../src/store/sqlite-store.ts";
import type { LegacyImport } from "../../../src/store/legacy-files.ts";

/**
 * A state folder as hporec wrote it before the SQLite store (the file layout of the JobStore and
 * ConversationStore removed in commit 5f5c9a4), written here by hand.
 */
function legacyFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hporec-legacy-"));
  mkdirSync(path.join(dir, "jobs"));
  mkdirSync(path.join(dir, "conversations"));
  const job = (id: string, status: string, items: unknown[]) =>
    writeFileSync(path.join(dir, "jobs", `${id}.json`), JSON.stringify({ id, status, createdAt: "2026-11-27T10:00:00.000Z", updatedAt: "2026-11-27T10:05:00.000Z", items }));
  job("done-job", "done", [{ a: 1 }, { a: 2 }]);
  job("running-job", "running", [{ b: 1 }, { b: 2 }, { b: 3 }]);
  // Item 0 twice (the first line wins), item 1, then a line torn by a crash.
  const line = (index: number, tag: string) => JSON.stringify({ index, ok: true, recommendation: { tag } });
  writeFileSync(path.join(dir, "jobs", "done-job.results.jsonl"), [line(0, "first"), line(0, "second"), line(1, "x"), '{"index": 2, "ok": tr'].join("\n"));
  writeFileSync(path.join(dir, "jobs", "broken.json"), "{ not json");
  const conversation = { id: "conv-1", createdAt: "2026-11-27T10:00:00.000Z", updatedAt: "2026-11-27T10:01:00.000Z", messages: [{ role: "user", content: "3000 images, 7 classes", at: "2026-11-27T10:00:30.000Z" }], card: { n_samples: 3000 }, constraints: {} };
  writeFileSync(path.join(dir, "conversations", "conv-1.json"), JSON.stringify(conversation));
  return dir;
}

test("state files written before the SQLite store are imported once, nothing lost, nothing deleted", async () => {
  const dir = legacyFolder();
  const told: LegacyImport[] = [];
  const quarantined: { source: string; id: string }[] = [];
  const store = openSqliteStore(dir, { onLegacyImport: (r) => told.push(r), onQuarantine: ({ source, id }) => quarantined.push({ source, id }) });
  assert.deepEqual(told, [{ jobs: 2, results: 2, conversations: 1, quarantined: 1 }]);
  assert.deepEqual(quarantined, [{ source: "legacy-jobs", id: "broken.json" }], "the server logs it like any quarantined record");

  const done = await store.jobs.get("done-job");
  assert.equal(done?.status, "done");
  assert.deepEqual(done?.items, [{ a: 1 }, { a: 2 }]);
  const results = await store.jobs.results("done-job");
  assert.deepEqual([...results.keys()], [0, 1]);
  assert.deepEqual(results.get(0)?.recommendation, { tag: "first" }, "the first line per item wins, as the old store read it");
  assert.deepEqual((await store.jobs.unfinished()).map((j) => j.id), ["running-job"], "an unfinished job is resumed after the upgrade");

  const c = await store.conversations.get("conv-1");
  assert.equal(c?.messages[0].content, "3000 images, 7 classes");
  assert.deepEqual(c?.card, { n_samples: 3000 });
  await store.close();

  // The unreadable file is kept, with its reason, in the quarantine table; the old folders are renamed, not deleted.
  const db = new Database(path.join(dir, STATE_FILE), { readonly: true });
  const q = db.prepare("SELECT source, id, reason, data FROM quarantine").all() as { source: string; id: string; reason: string; data: string }[];
  db.close();
  assert.equal(q.length, 1);
  assert.equal(q[0].source, "legacy-jobs");
  assert.equal(q[0].id, "broken.json");
  assert.match(q[0].reason, /not JSON/);
  assert.equal(q[0].data, "{ not json");
  assert.ok(!existsSync(path.join(dir, "jobs")) && !existsSync(path.join(dir, "conversations")));
  assert.deepEqual(readdirSync(path.join(dir, "jobs.imported")).sort(), ["broken.json", "done-job.json", "done-job.results.jsonl", "running-job.json"]);

  // Opening again imports nothing more.
  const again: LegacyImport[] = [];
  const reopened = openSqliteStore(dir, { onLegacyImport: (r) => again.push(r) });
  assert.deepEqual(again, []);
  assert.equal((await reopened.jobs.results("done-job")).size, 2);
  await reopened.close();
});

test("a state folder with no legacy files opens as before", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hporec-state-"));
  const told: LegacyImport[] = [];
  const store = openSqliteStore(dir, { onLegacyImport: (r) => told.push(r) });
  assert.deepEqual(told, []);
  assert.equal(await store.jobs.get("anything"), undefined);
  await store.close();
});
