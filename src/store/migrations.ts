/**
 * The state database's schema, as an ordered list of migrations; `PRAGMA user_version` records how many were
 * applied. Each runs in its own transaction, so a crash leaves the schema at a whole version. A new table (the
 * ask/tell studies) is a new entry at the end; entries are never edited once released.
 */
import type { Database } from "better-sqlite3";

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "batch jobs, their results, conversations, quarantined records",
    up: (db) =>
      db.exec(`
        CREATE TABLE jobs (id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, items TEXT NOT NULL);
        CREATE INDEX jobs_unfinished ON jobs (status, created_at);
        CREATE TABLE job_results (job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, idx INTEGER NOT NULL, result TEXT NOT NULL, PRIMARY KEY (job_id, idx));
        CREATE TABLE conversations (id TEXT PRIMARY KEY, updated_at TEXT NOT NULL, data TEXT NOT NULL);
        CREATE INDEX conversations_idle ON conversations (updated_at);
        CREATE TABLE quarantine (at TEXT NOT NULL, source TEXT NOT NULL, id TEXT NOT NULL, reason TEXT NOT NULL, data TEXT NOT NULL);
      `),
  },
  {
    version: 2,
    name: "ask/tell studies",
    up: (db) => db.exec("CREATE TABLE studies (id TEXT PRIMARY KEY, updated_at TEXT NOT NULL, data TEXT NOT NULL);"),
  },
];

/** Applies the migrations the database lacks; returns the versions applied. Refuses a database from a newer hporec. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = db.pragma("user_version", { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new Error(`the state database has schema version ${current}, newer than this hporec's ${latest}`);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
