/**
 * Runs batch jobs one item at a time, in submission order, committing each result as it lands (once per item:
 * the store refuses a second). On start it resumes the jobs a previous process left queued or running; `stop`
 * lets the item in flight finish first.
 */
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Logger } from "pino";
import type { ItemResult, JobRecord, JobStore } from "../../store/store.ts";

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
  async resume(): Promise<number> {
    const jobs = await this.store.unfinished();
    for (const j of jobs) this.enqueue(j.id);
    if (jobs.length) this.log.info({ jobs: jobs.map((j) => j.id) }, "resuming batch jobs");
    return jobs.length;
  }

  async submit(items: unknown[]): Promise<JobRecord> {
    const job = await this.store.create(items);
    this.enqueue(job.id);
    return job;
  }

  /** Cancels a job: items not yet run are skipped; results so far are kept. Returns false for an unknown job. */
  async cancel(id: string): Promise<JobRecord | undefined> {
    const job = await this.store.get(id);
    if (!job) return undefined;
    if (job.status === "queued" || job.status === "running") {
      this.cancelled.add(id);
      await this.store.setStatus(id, "cancelled");
    }
    return job;
  }

  async view(id: string, offset = 0, limit = Infinity): Promise<JobView | undefined> {
    const job = await this.store.get(id);
    if (!job) return undefined;
    const results = [...(await this.store.results(id)).values()].sort((a, b) => a.index - b.index);
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
    const job = await this.store.get(id);
    if (!job || job.status === "done" || job.status === "cancelled") return;
    const done = await this.store.results(id);
    await this.store.setStatus(id, "running");
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
      // A cancel that arrived while the item ran wins: the job already says cancelled.
      if (this.cancelled.has(id)) return;
      await this.store.addResult(id, { index: i, ...r });
      // Let HTTP requests in between items: a job must not starve the server.
      await yieldToEventLoop();
    }
    const latest = await this.store.get(id);
    if (latest && latest.status === "running") await this.store.setStatus(id, "done");
  }
}
