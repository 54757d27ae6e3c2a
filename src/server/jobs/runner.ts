/**
 * Runs batch jobs one item at a time, in submission order, persisting each result as it lands. On start it
 * resumes the jobs a previous process left queued or running; `stop` lets the item in flight finish first.
 */
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Logger } from "pino";
import type { ItemResult, JobRecord, JobStore } from "../store/jobs.ts";

export type ItemRunner = (input: unknown, index: number) => Promise<Omit<ItemResult, "index">>;

export interface JobView {
  id: string;
  status: JobRecord["status"];
  total: number;
  completed: number;
  failed: number;
  createdAt: string;
  updatedAt: string;
  results: ItemResult[];
}

export class JobRunner {
  private readonly queue: string[] = [];
  private loop: Promise<void> | undefined;
  private stopping = false;
  private readonly cancelled = new Set<string>();

  constructor(
    private readonly store: JobStore,
    private readonly runItem: ItemRunner,
    private readonly log: Logger,
  ) {}

  /** Queues the jobs a previous process did not finish. */
  resume(): number {
    const jobs = this.store.unfinished();
    for (const j of jobs) this.enqueue(j.id);
    if (jobs.length) this.log.info({ jobs: jobs.map((j) => j.id) }, "resuming batch jobs");
    return jobs.length;
  }

  submit(items: unknown[]): JobRecord {
    const job = this.store.create(items);
    this.enqueue(job.id);
    return job;
  }

  /** Cancels a job: items not yet run are skipped; results so far are kept. Returns false for an unknown job. */
  cancel(id: string): JobRecord | undefined {
    const job = this.store.get(id);
    if (!job) return undefined;
    if (job.status === "queued" || job.status === "running") {
      this.cancelled.add(id);
      this.store.setStatus(job, "cancelled");
    }
    return job;
  }

  view(id: string, offset = 0, limit = Infinity): JobView | undefined {
    const job = this.store.get(id);
    if (!job) return undefined;
    const results = [...this.store.results(id).values()].sort((a, b) => a.index - b.index);
    return {
      id,
      status: job.status,
      total: job.items.length,
      completed: results.length,
      failed: results.filter((r) => !r.ok).length,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      results: results.slice(offset, offset + limit),
    };
  }

  /** Stops after the item in flight; unfinished jobs stay queued/running on disk and resume on the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private enqueue(id: string): void {
    this.queue.push(id);
    this.loop ??= this.drain().finally(() => (this.loop = undefined));
  }

  private async drain(): Promise<void> {
    while (this.queue.length && !this.stopping) await this.run(this.queue.shift()!);
  }

  private async run(id: string): Promise<void> {
    const job = this.store.get(id);
    if (!job || job.status === "done" || job.status === "cancelled") return;
    this.store.sealResults(id);
    const done = this.store.results(id);
    this.store.setStatus(job, "running");
    for (let i = 0; i < job.items.length; i++) {
      if (this.stopping || this.cancelled.has(id)) return;
      if (done.has(i)) continue;
      let r: Omit<ItemResult, "index">;
      try {
        r = await this.runItem(job.items[i], i);
      } catch (e) {
        this.log.error({ err: e, job: id, index: i }, "batch item failed");
        r = { ok: false, error: { code: "internal_error", message: "internal error on this item" } };
      }
      // A cancel that arrived while the item ran wins: the job's file already says cancelled.
      if (this.cancelled.has(id)) return;
      this.store.appendResult(id, { index: i, ...r });
      // Let HTTP requests in between items: a job must not starve the server.
      await yieldToEventLoop();
    }
    const latest = this.store.get(id);
    if (latest && latest.status === "running") this.store.setStatus(latest, "done");
  }
}
