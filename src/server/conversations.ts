/**
 * Conversations as the routes use them: kept in the state store, one turn at a time per conversation, expired
 * after `ttlMs` without a message (no longer served; deleted by the periodic sweep).
 *
 * A conversation's study is also kept in the study store under the conversation's id, so a client that started
 * in the chat reads, asks and tells it through /v1/studies/{id}. The stored study is the one that counts: a turn
 * starts from it, and what the turn changed is merged into it in one transaction (mergeStudy), so a result told
 * meanwhile through /v1/studies is neither lost nor counted twice. The sweep deletes it with its conversation unless
 * it was changed through /v1/studies since; deleted through /v1/studies, it is gone from the conversation too.
 */
import { randomUUID } from "node:crypto";
import type { Conversation } from "../chat/conversation.ts";
import type { ConversationStore, StudyStore } from "../store/store.ts";
import { mergeStudy } from "../study/merge.ts";
import type { Study } from "../study/study.ts";

export interface ConversationsOptions {
  /** Where the conversations' studies are kept (the /v1/studies store); without it, only in the conversation. */
  studies?: StudyStore;
  now?: () => number;
}

export class Conversations {
  /** Turns of one conversation are serialised: two must not interleave. */
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly now: () => number;
  private readonly studies?: StudyStore;

  constructor(
    private readonly store: ConversationStore,
    readonly ttlMs: number,
    options: ConversationsOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.studies = options.studies;
  }

  create(): Promise<Conversation> {
    return this.store.create(randomUUID(), new Date(this.now()));
  }

  /** The conversation, its study as the study store holds it. */
  async get(id: string): Promise<Conversation | undefined> {
    const c = await this.store.get(id);
    if (!c || this.expired(c)) return undefined;
    await this.adoptStudy(c);
    return c;
  }

  /** Runs `fn` on a conversation with no other turn of it in flight; saves it afterwards. */
  async withConversation<T>(id: string, fn: (c: Conversation) => Promise<T>): Promise<T | undefined> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const run = prev.then(async () => {
      const c = await this.get(id);
      if (!c) return undefined;
      const base = c.study;
      const out = await fn(c);
      // The study first: a crash between the two writes leaves the result told in the store, which the next turn reads.
      await this.saveStudy(c, base);
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

  /**
   * Replaces the conversation's study by the stored one when it is the same study (its id and creation); one that
   * was stored and is gone was deleted through /v1/studies, and the conversation lets it go too (a result told
   * afterwards starts a new study), rather than writing it back.
   */
  private async adoptStudy(c: Conversation): Promise<void> {
    if (!this.studies || !c.study) return;
    const stored = await this.studies.get(c.study.id);
    if (stored?.createdAt === c.study.createdAt) c.study = stored;
    else if (!stored && c.studyStored) c.study = c.pending = c.suggested = c.released = c.studyStored = undefined;
  }

  /**
   * Writes what the turn changed in the study (`base`: as the turn started) into the study store; one not stored
   * yet (a conversation's first study turn, one kept before studies were stored) is stored whole.
   */
  private async saveStudy(c: Conversation, base: Study | undefined): Promise<void> {
    const mine = c.study;
    if (!this.studies || !mine) return;
    const unchanged = (theirs: Study) => mine === base && theirs.createdAt === mine.createdAt;
    const saved = await this.studies.update(mine.id, (theirs) => (unchanged(theirs) ? theirs : mergeStudy(base, mine, theirs)));
    if (saved) c.study = saved;
    else await this.studies.create(mine);
    c.studyStored = true;
  }

  private expired(c: Conversation): boolean {
    return this.now() - Date.parse(c.updatedAt) > this.ttlMs;
  }
}
