/**
 * State written by hporec before the SQLite store (up to commit 5f5c9a4): `<state>/jobs/<id>.json` (a batch job)
 * with `<id>.results.jsonl` (one finished item per line, a torn last line possible) and
 * `<state>/conversations/<id>.json`. Opening the store imports them once, in one transaction, then renames the
 * folders to `<name>.imported` so nothing is deleted and nothing is imported twice. A file that does not read is
 * kept in the quarantine table with the reason, like a corrupt row.
 */
import { existsSync, readdirSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { z } from "zod";
import { parseRow, type Quarantine } from "./rows.ts";
import { ItemResult, JobRecord } from "./store.ts";

const LegacyConversation = z.looseObject({ id: z.string(), updatedAt: z.string() });

export interface LegacyImport {
  jobs: number;
  results: number;
  conversations: number;
  /** Files that did not read, kept in the quarantine table. */
  quarantined: number;
}

const FOLDERS = ["jobs", "conversations"] as const;

/** Imports the pre-SQLite files of `dir` into `db`; undefined when there are none. */
export function importLegacyFiles(db: Database.Database, dir: string, quarantine: Quarantine): LegacyImport | undefined {
  const folders = FOLDERS.filter((f) => existsSync(path.join(dir, f)));
  if (!folders.length) return undefined;
  const q = {
    job: db.prepare("INSERT OR IGNORE INTO jobs (id, status, created_at, updated_at, items) VALUES (?, ?, ?, ?, ?)"),
    result: db.prepare("INSERT OR IGNORE INTO job_results (job_id, idx, result) VALUES (?, ?, ?)"),
    conversation: db.prepare("INSERT OR IGNORE INTO conversations (id, updated_at, data) VALUES (?, ?, ?)"),
  };
  const out: LegacyImport = { jobs: 0, results: 0, conversations: 0, quarantined: 0 };
  const bad = (source: string, file: string, reason: string, data: string) => {
    // Nothing to remove: the file itself stays, in the folder renamed below.
    quarantine(source, path.basename(file), reason, data, () => {});
    out.quarantined++;
  };
  db.transaction(() => {
    for (const file of jsonFiles(path.join(dir, "jobs"))) {
      const text = readFileSync(file, "utf8");
      const job = parseRow(JobRecord, text, (reason) => bad("legacy-jobs", file, reason, text));
      if (!job) continue;
      out.jobs += q.job.run(job.id, job.status, job.createdAt, job.updatedAt, JSON.stringify(job.items)).changes;
      const results = file.replace(/\.json$/, ".results.jsonl");
      if (!existsSync(results)) continue;
      // One line per finished item; the first line per index wins, a torn last line is skipped (as the old store read them).
      for (const line of readFileSync(results, "utf8").split("\n")) {
        const r = line ? parseRow(ItemResult, line, () => {}) : undefined;
        if (r) out.results += q.result.run(job.id, r.index, JSON.stringify(r)).changes;
      }
    }
    for (const file of jsonFiles(path.join(dir, "conversations"))) {
      const text = readFileSync(file, "utf8");
      // Only what the table needs is checked here; the rest is validated when read, as every conversation row is.
      const c = parseRow(LegacyConversation, text, (reason) => bad("legacy-conversations", file, reason, text));
      if (c) out.conversations += q.conversation.run(c.id, c.updatedAt, text).changes;
    }
  })();
  for (const f of folders) renameSync(path.join(dir, f), freeName(path.join(dir, `${f}.imported`)));
  return out;
}

function jsonFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => path.join(folder, f));
}

/** `p`, or `p.2`, `p.3`... when taken (a second legacy folder appearing later is kept apart, not merged). */
function freeName(p: string): string {
  if (!existsSync(p)) return p;
  let k = 2;
  while (existsSync(`${p}.${k}`)) k++;
  return `${p}.${k}`;
}
