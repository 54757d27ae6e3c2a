/**
 * Conversations on disk, one JSON file each (atomic writes), so they survive a restart. A conversation not
 * touched for `ttlMs` expires: it is no longer served and is deleted by the periodic sweep.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { writeJsonAtomic } from "../../util/atomic.ts";
import { newConversation, type Conversation } from "../../chat/conversation.ts";

export class ConversationStore {
  private readonly dir: string;
  /** Writes of one conversation are serialised: two turns of the same conversation must not interleave. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    stateDir: string,
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.dir = path.join(stateDir, "conversations");
    mkdirSync(this.dir, { recursive: true });
  }

  create(): Conversation {
    const c = newConversation(randomUUID(), new Date(this.now()));
    this.save(c);
    return c;
  }

  get(id: string): Conversation | undefined {
    const file = this.file(id);
    if (!existsSync(file)) return undefined;
    let c: Conversation;
    try {
      c = JSON.parse(readFileSync(file, "utf8")) as Conversation;
    } catch {
      return undefined;
    }
    return this.expired(c) ? undefined : c;
  }

  save(c: Conversation): void {
    writeJsonAtomic(this.file(c.id), c);
  }

  /** Runs `fn` on a conversation with no other turn of it in flight; saves it afterwards. */
  async withConversation<T>(id: string, fn: (c: Conversation) => Promise<T>): Promise<T | undefined> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const run = prev.then(async () => {
      const c = this.get(id);
      if (!c) return undefined;
      const out = await fn(c);
      this.save(c);
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
  sweep(): number {
    let n = 0;
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith(".json")) continue;
      const id = f.slice(0, -5);
      const file = this.file(id);
      try {
        const c = JSON.parse(readFileSync(file, "utf8")) as Conversation;
        if (!this.expired(c)) continue;
      } catch {
        // Unreadable files are left for a human to inspect rather than deleted.
        continue;
      }
      rmSync(file, { force: true });
      n++;
    }
    return n;
  }

  /** Resolves once every turn in flight has been saved (graceful shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.locks.values()]);
  }

  private expired(c: Conversation): boolean {
    return this.now() - Date.parse(c.updatedAt) > this.ttlMs;
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }
}
