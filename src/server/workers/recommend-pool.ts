/**
 * Recommendations computed in worker threads, each with its own engine loaded from the pack. A fresh
 * recommendation is ~10 ms of CPU; on the event loop it would serialise every request, in workers they run on
 * all cores while the main thread parses and answers HTTP (and searches the knowledge index, which only it can
 * load). A worker that dies is replaced; its requests fail.
 */
import { Worker } from "node:worker_threads";
import type { RecommendRequest } from "../../recommend/request.ts";
import { InputError } from "../../util/errors.ts";
import type { RecommendOutcome } from "../recommend-input.ts";

export interface WorkerSetup {
  packDir: string;
  samples?: number;
}
export interface WorkerRequest {
  id: number;
  req: RecommendRequest;
  assumptions: string[];
  /** The datasets most similar to the request's, from the main thread's knowledge index. */
  similar: { id: string; similarity: number }[];
}
export type WorkerReply =
  | { id: number; ok: true; outcome: RecommendOutcome }
  | { id: number; ok: false; error: { input: boolean; message: string; where?: string; hint?: string } };

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (o: RecommendOutcome) => void; reject: (e: Error) => void }>;
}

// From the TypeScript sources a worker needs tsx's loader (ts-entry.mjs); the built dist/ runs the .js itself.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const ENTRY = FROM_SOURCE ? new URL("./ts-entry.mjs", import.meta.url) : new URL("./recommend-worker.js", import.meta.url);
const WORKER = new URL(`./recommend-worker.${FROM_SOURCE ? "ts" : "js"}`, import.meta.url).href;

export class RecommendPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;

  private constructor(private readonly setup: WorkerSetup) {}

  /** Starts `size` workers and resolves once every one has loaded and warmed its engine. */
  static async start(setup: WorkerSetup, size: number): Promise<RecommendPool> {
    const pool = new RecommendPool(setup);
    await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** The recommendation and judge verdict for a resolved request, from the least busy worker. */
  run(req: RecommendRequest, assumptions: string[], similar: WorkerRequest["similar"]): Promise<RecommendOutcome> {
    if (this.closed || !this.slots.length) return Promise.reject(new Error("the recommendation workers are stopped"));
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, req, assumptions, similar } satisfies WorkerRequest);
    });
  }

  /** Takes no new requests, lets those in flight finish (at most `drainMs`), then stops the workers. */
  async close(drainMs = 10_000): Promise<void> {
    this.closed = true;
    const deadline = Date.now() + drainMs;
    while (this.slots.some((s) => s.pending.size) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private spawn(): Promise<void> {
    const worker = new Worker(ENTRY, { workerData: { entry: WORKER, packDir: this.setup.packDir, samples: this.setup.samples } });
    const slot: Slot = { worker, pending: new Map() };
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on("message", (m: WorkerReply | { ready: true }) => {
        if ("ready" in m) {
          ready = true;
          this.slots.push(slot);
          resolve();
          return;
        }
        const p = slot.pending.get(m.id);
        if (!p) return;
        slot.pending.delete(m.id);
        if (m.ok) p.resolve(m.outcome);
        else p.reject(m.error.input ? new InputError(m.error.message, m.error.where, m.error.hint) : new Error(m.error.message));
      });
      worker.on("error", (e) => {
        if (!ready) reject(e);
      });
      worker.on("exit", (code) => {
        const at = this.slots.indexOf(slot);
        if (at >= 0) this.slots.splice(at, 1);
        for (const p of slot.pending.values()) p.reject(new Error(`a recommendation worker stopped (exit code ${code})`));
        slot.pending.clear();
        if (ready && !this.closed) void this.spawn().catch(() => undefined);
      });
    });
  }
}
