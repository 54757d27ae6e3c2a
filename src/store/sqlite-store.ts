/**
 * The state in one SQLite file (better-sqlite3, WAL). Every result is one committed transaction, so a crash
 * loses nothing that was acknowledged and a resumed job cannot record an item twice (primary key). The file is
 * held with an exclusive lock while open: a second process on the same state refuses to start instead of
 * running the same jobs twice; the lock goes with the process, even after kill -9.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { InputError } from "../util/errors.ts";
import { migrate } from "./migrations.ts";
import { parseRow, validate, type Quarantine } from "./rows.ts";
import { importLegacyFiles, type LegacyImport } from "./legacy-files.ts";
import { Conversation, ItemResult, JobRecord, Study, type ConversationStore, type JobStatus, type JobStore, type StateStore, type StudyStore } from "./store.ts";

export const STATE_FILE = "state.sqlite";

export interface SqliteStoreOptions {
  /** Told about quarantined records (a corrupt row is moved aside, never served). */
  onQuarantine?: (what: { source: string; id: string; reason: string }) => void;
  /** Told what was imported from the files of a state folder written before the SQLite store (legacy-files.ts). */
  onLegacyImport?: (what: LegacyImport) => void;
}

/** Opens (creating if needed) the state database in `dir`; InputError naming the file when it is corrupt or in use. */
export function openSqliteStore(dir: string, opts: SqliteStoreOptions = {}): StateStore {
  const file = path.join(dir, STATE_FILE);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`cannot create the state folder (${(e as Error).message})`, dir, "pass a folder hporec may write to (--state-dir)");
  }
  const fix = `move ${file} aside (or point --state-dir elsewhere) to start with an empty state`;
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 200 });
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    // Takes the exclusive lock now, so a second process fails here and not at its first write.
    db.exec("BEGIN IMMEDIATE; COMMIT");
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code === "SQLITE_BUSY")
      throw new InputError(`the state database is in use by another hporec process: ${file}`, file, "stop the other server, or give this one another --state-dir");
    throw new InputError(`the state database cannot be opened (${err.message}): ${file}`, file, fix);
  }
  try {
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new Error(String(check));
    migrate(db);
  } catch (e) {
    db.close();
    throw new InputError(`the state database is corrupt or from a newer hporec (${(e as Error).message}): ${file}`, file, fix);
  }
  const quarantine = quarantiner(db, opts);
  try {
    const legacy = importLegacyFiles(db, dir, quarantine);
    if (legacy) opts.onLegacyImport?.(legacy);
  } catch (e) {
    db.close();
    throw new InputError(`the state files written before the SQLite store cannot be imported (${(e as Error).message}): ${dir}`, dir, "move the jobs/ and conversations/ folders out of the state folder to start without them");
  }
  return { jobs: new SqliteJobs(db, quarantine), conversations: new SqliteConversations(db, quarantine), studies: new SqliteStudies(db, quarantine), location: file, close: async () => void db.close() };
}

function quarantiner(db: Database.Database, opts: SqliteStoreOptions): Quarantine {
  const insert = db.prepare("INSERT INTO quarantine (at, source, id, reason, data) VALUES (?, ?, ?, ?, ?)");
  return (source, id, reason, data, remove) => {
    db.transaction(() => {
      insert.run(new Date().toISOString(), source, id, reason, data);
      remove();
    })();
    opts.onQuarantine?.({ source, id, reason });
  };
}

interface JobRow {
  id: string;
  status: string;
  created_at: string;
  updated_at: string;
  items: string;
}

class SqliteJobs implements JobStore {
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly quarantine: Quarantine,
  ) {
    this.q = {
      insert: db.prepare("INSERT INTO jobs (id, status, created_at, updated_at, items) VALUES (@id, @status, @createdAt, @updatedAt, @items)"),
      get: db.prepare<[string], JobRow>("SELECT * FROM jobs WHERE id = ?"),
      setStatus: db.prepare("UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?"),
      touch: db.prepare("UPDATE jobs SET updated_at = ? WHERE id = ?"),
      addResult: db.prepare("INSERT OR IGNORE INTO job_results (job_id, idx, result) VALUES (?, ?, ?)"),
      results: db.prepare<[string], { idx: number; result: string }>("SELECT idx, result FROM job_results WHERE job_id = ? ORDER BY idx"),
      unfinished: db.prepare<[], JobRow>("SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at"),
      deleteJob: db.prepare("DELETE FROM jobs WHERE id = ?"),
      deleteResult: db.prepare("DELETE FROM job_results WHERE job_id = ? AND idx = ?"),
    };
  }

  async create(items: unknown[]): Promise<JobRecord> {
    const at = new Date().toISOString();
    const job: JobRecord = { id: randomUUID(), status: "queued", createdAt: at, updatedAt: at, items };
    this.q.insert.run({ ...job, items: JSON.stringify(items) });
    return job;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = this.q.get.get(id);
    return row && this.fromRow(row);
  }

  async setStatus(id: string, status: JobStatus): Promise<void> {
    this.q.setStatus.run(status, new Date().toISOString(), id);
  }

  async addResult(id: string, result: ItemResult): Promise<boolean> {
    const added = this.q.addResult.run(id, result.index, JSON.stringify(result)).changes === 1;
    // A running job's updatedAt says when it last made progress.
    if (added) this.q.touch.run(new Date().toISOString(), id);
    return added;
  }

  async results(id: string): Promise<Map<number, ItemResult>> {
    const out = new Map<number, ItemResult>();
    for (const { idx, result } of this.q.results.all(id)) {
      const r = parseRow(ItemResult, result, (reason) => this.quarantine("job_results", `${id}#${idx}`, reason, result, () => this.q.deleteResult.run(id, idx)));
      if (r) out.set(idx, r);
    }
    return out;
  }

  async unfinished(): Promise<JobRecord[]> {
    return this.q.unfinished.all().flatMap((row) => this.fromRow(row) ?? []);
  }

  private fromRow(row: JobRow): JobRecord | undefined {
    const onBad = (reason: string) => this.quarantine("jobs", row.id, reason, JSON.stringify(row), () => this.q.deleteJob.run(row.id));
    const items = parseRow(JobRecord.shape.items, row.items, onBad);
    return items && validate(JobRecord, { id: row.id, status: row.status, createdAt: row.created_at, updatedAt: row.updated_at, items }, onBad);
  }
}

class SqliteConversations implements ConversationStore {
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly quarantine: Quarantine,
  ) {
    this.q = {
      upsert: db.prepare("INSERT INTO conversations (id, updated_at, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data"),
      get: db.prepare<[string], { data: string }>("SELECT data FROM conversations WHERE id = ?"),
      delete: db.prepare("DELETE FROM conversations WHERE id = ?"),
      deleteIdle: db.prepare("DELETE FROM conversations WHERE updated_at < ?"),
      // A chat's study is kept under its conversation's id (server/conversations.ts): swept with it when as idle.
      deleteIdleStudies: db.prepare("DELETE FROM studies WHERE updated_at < ? AND id IN (SELECT id FROM conversations WHERE updated_at < ?)"),
    };
    this.sweep = db.transaction((before: string) => {
      this.q.deleteIdleStudies.run(before, before);
      return this.q.deleteIdle.run(before).changes;
    });
  }

  private readonly sweep: (before: string) => number;

  async create(id: string, at: Date): Promise<Conversation> {
    const c: Conversation = { id, createdAt: at.toISOString(), updatedAt: at.toISOString(), messages: [], card: {}, constraints: {} };
    await this.save(c);
    return c;
  }

  async get(id: string): Promise<Conversation | undefined> {
    const row = this.q.get.get(id);
    if (!row) return undefined;
    return parseRow(Conversation, row.data, (reason) => this.quarantine("conversations", id, reason, row.data, () => this.q.delete.run(id)));
  }

  async save(c: Conversation): Promise<void> {
    this.q.upsert.run(c.id, c.updatedAt, JSON.stringify(c));
  }

  async deleteIdleSince(before: Date): Promise<number> {
    return this.sweep(before.toISOString());
  }
}

class SqliteStudies implements StudyStore {
  private readonly q;
  private readonly updateTx;

  constructor(
    db: Database.Database,
    private readonly quarantine: Quarantine,
  ) {
    this.q = {
      insert: db.prepare("INSERT INTO studies (id, updated_at, data) VALUES (?, ?, ?)"),
      get: db.prepare<[string], { data: string }>("SELECT data FROM studies WHERE id = ?"),
      save: db.prepare("UPDATE studies SET updated_at = ?, data = ? WHERE id = ?"),
      delete: db.prepare("DELETE FROM studies WHERE id = ?"),
      recent: db.prepare<[number], { id: string; updated_at: string; data: string }>("SELECT id, updated_at, data FROM studies ORDER BY updated_at DESC, id LIMIT ?"),
    };
    // Read, change and write in one transaction: nothing runs between them (better-sqlite3 is synchronous).
    this.updateTx = db.transaction((id: string, change: (s: Study) => Study) => {
      const s = this.read(id);
      if (!s) return undefined;
      const next = change(s);
      if (next !== s) this.q.save.run(new Date().toISOString(), JSON.stringify(next), id);
      return next;
    });
  }

  async create(study: Study): Promise<void> {
    this.q.insert.run(study.id, new Date().toISOString(), JSON.stringify(study));
  }

  async get(id: string): Promise<Study | undefined> {
    return this.read(id);
  }

  async update(id: string, change: (s: Study) => Study): Promise<Study | undefined> {
    return this.updateTx(id, change);
  }

  async delete(id: string): Promise<boolean> {
    return this.q.delete.run(id).changes === 1;
  }

  async list(limit: number): Promise<Array<{ study: Study; updatedAt: string }>> {
    return this.q.recent.all(limit).flatMap((row) => {
      const study = this.parse(row.id, row.data);
      return study ? [{ study, updatedAt: row.updated_at }] : [];
    });
  }

  private read(id: string): Study | undefined {
    const row = this.q.get.get(id);
    return row ? this.parse(id, row.data) : undefined;
  }

  private parse(id: string, data: string): Study | undefined {
    return parseRow(Study, data, (reason) => this.quarantine("studies", id, reason, data, () => this.q.delete.run(id)));
  }
}
