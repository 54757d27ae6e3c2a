/**
 * Hands out a context's sequences one request at a time; when all are busy, callers wait in FIFO order
 * instead of failing (node-llama-cpp throws when no sequence is left).
 */
export class SequencePool<T> {
  private readonly free: T[];
  private readonly waiting: Array<(item: T) => void> = [];

  constructor(items: T[]) {
    this.free = [...items];
  }

  /** Runs `task` with a free item, waiting for one if needed; `reset` readies the item for the next user. */
  async use<R>(task: (item: T) => Promise<R>, reset: (item: T) => Promise<void>): Promise<R> {
    const item = this.free.pop() ?? (await new Promise<T>((resolve) => this.waiting.push(resolve)));
    try {
      return await task(item);
    } finally {
      await reset(item).catch(() => undefined); // a failed reset must not take the item out of circulation
      const next = this.waiting.shift();
      if (next) next(item);
      else this.free.push(item);
    }
  }

  get pending(): number {
    return this.waiting.length;
  }
}
