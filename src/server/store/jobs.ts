/**
 * Batch jobs on disk: `<id>.json` holds the inputs and the status (atomic rewrites), `<id>.results.jsonl` gets one
 * line appended per finished item. A crash can only lose the line being written (a torn last line is ignored),
 * and a resumed job skips the indexes already present, so every item ends up exactly once.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { writeJsonAtomic } from "../../util/atomic.ts";

export type JobStatus = "queued" | "running" | "done" | "cancelled";

export interface JobRecord {
  id: string;
  status: JobStatus;
  createdAt: string;
  updatedAt: string;
  items: unknown[];
}

export interface ItemResult {
  index: number;
  ok: boolean;
  recommendation?: unknown;
  judge?: unknown;
  error?: { code: string; message: string; path?: string };
}

export class JobStore {
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, "jobs");
    mkdirSync(this.dir, { recursive: true });
  }

  create(items: unknown[]): JobRecord {
    const at = new Date().toISOString();
    const job: JobRecord = { id: randomUUID(), status: "queued", createdAt: at, updatedAt: at, items };
    this.save(job);
    return job;
  }

  get(id: string): JobRecord | undefined {
    const file = this.file(id);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, "utf8")) as JobRecord;
  }

  save(job: JobRecord): void {
    job.updatedAt = new Date().toISOString();
    writeJsonAtomic(this.file(job.id), job);
  }

  setStatus(job: JobRecord, status: JobStatus): void {
    job.status = status;
    this.save(job);
  }

  appendResult(id: string, r: ItemResult): void {
    appendFileSync(this.resultsFile(id), JSON.stringify(r) + "\n");
  }

  /** Results by item index; the first line per index wins, a torn last line is skipped. */
  results(id: string): Map<number, ItemResult> {
    const out = new Map<number, ItemResult>();
    const file = this.resultsFile(id);
    if (!existsSync(file)) return out;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line) continue;
      try {
        const r = JSON.parse(line) as ItemResult;
        if (!out.has(r.index)) out.set(r.index, r);
      } catch {
        /* torn line from a crash mid-append */
      }
    }
    return out;
  }

  /** Jobs to continue after a restart, oldest first. */
  unfinished(): JobRecord[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => this.get(f.slice(0, -5)))
      .filter((j): j is JobRecord => !!j && (j.status === "queued" || j.status === "running"))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Ends a torn last line with a newline before a resumed job appends, so the next line stays whole. */
  sealResults(id: string): void {
    const file = this.resultsFile(id);
    if (!existsSync(file)) return;
    const text = readFileSync(file, "utf8");
    if (text && !text.endsWith("\n")) appendFileSync(file, "\n");
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private resultsFile(id: string): string {
    return path.join(this.dir, `${id}.results.jsonl`);
  }
}
