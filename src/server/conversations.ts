/**
 * Conversations as the routes use them: kept in the state store, one turn at a time per conversation, expired
 * after `ttlMs` without a message (no longer served; deleted by the periodic sweep).
 */
import { randomUUID } from "node:crypto";
import type { Conversation } from "../chat/conversation.ts";
import type { ConversationStore } from "../store/store.ts";

export class Conversations {
  /** Turns of one conversation are serialised: two must not interleave. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: ConversationStore,
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(): Promise<Conversation> {
    return this.store.create(randomUUID(), new Date(this.now()));
  }

  async get(id: string): Promise<Conversation | undefined> {
    const c = await this.store.get(id);
    return c && !this.expired(c) ? c : undefined;
  }

  /** Runs `fn` on a conversation with no other turn of it in flight; saves it afterwards. */
  async withConversation<T>(id: string, fn: (c: Conversation) => Promise<T>): Promise<T | undefined> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const run = prev.then(async () => {
      const c = await this.get(id);
      if (!c) return undefined;
      const out = await fn(c);
      await this.store.save(c);
      return out;
    });
    const settled = run.catch(() => undefined);
    this.locks.set(id, settled);
    void settled.then(() => {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    });
    return run;
  }

  /** Deletes expired conversations; returns how many. */
  sweep(): Promise<number> {
    return this.store.deleteIdleSince(new Date(this.now() - this.ttlMs));
  }

  /** Resolves once every turn in flight has been saved (graceful shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.locks.values()]);
  }

  private expired(c: Conversation): boolean {
    return this.now() - Date.parse(c.updatedAt) > this.ttlMs;
  }
}
