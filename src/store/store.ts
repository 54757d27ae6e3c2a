/**
 * Where the server keeps what must survive a restart: batch jobs with their results, conversations and studies. The
 * interfaces are asynchronous and say nothing of SQL, so another database (PostgreSQL) can serve the same routes;
 * `openSqliteStore` is the embedded one. Rows are validated on read: a corrupt record is quarantined, not served.
 */
import { z } from "zod";
import { Conversation } from "../chat/conversation.ts";
import { Study } from "../study/study.ts";

export const JobStatus = z.enum(["queued", "running", "done", "cancelled"]);
export type JobStatus = z.infer<typeof JobStatus>;

export const JobRecord = z.object({
  id: z.string(),
  status: JobStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  items: z.array(z.unknown()),
});
export type JobRecord = z.infer<typeof JobRecord>;

export const ItemResult = z.object({
  index: z.int().nonnegative(),
  ok: z.boolean(),
  recommendation: z.unknown().optional(),
  judge: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string(), path: z.string().optional() }).optional(),
});
export type ItemResult = z.infer<typeof ItemResult>;

export interface JobStore {
  create(items: unknown[]): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | undefined>;
  setStatus(id: string, status: JobStatus): Promise<void>;
  /** Records an item's result once: false (and nothing written) when the job already has one for that index. */
  addResult(id: string, result: ItemResult): Promise<boolean>;
  /** Results by item index. */
  results(id: string): Promise<Map<number, ItemResult>>;
  /** Jobs to continue after a restart (queued or running), oldest first. */
  unfinished(): Promise<JobRecord[]>;
}

export interface ConversationStore {
  create(id: string, at: Date): Promise<Conversation>;
  get(id: string): Promise<Conversation | undefined>;
  save(c: Conversation): Promise<void>;
  /**
   * Deletes conversations not updated since `before`, with each one's study (kept under its id) unless that was
   * changed since, through /v1/studies; returns how many conversations.
   */
  deleteIdleSince(before: Date): Promise<number>;
}

/** Ask/tell studies, one record each; `update` is atomic, so concurrent tells cannot lose one another. */
export interface StudyStore {
  create(study: Study): Promise<void>;
  get(id: string): Promise<Study | undefined>;
  /** Applies `change` to the stored study and saves it in one transaction; undefined when there is none. */
  update(id: string, change: (s: Study) => Study): Promise<Study | undefined>;
  /** False when there was none. */
  delete(id: string): Promise<boolean>;
  /** The most recently changed studies first, at most `limit`. */
  list(limit: number): Promise<Array<{ study: Study; updatedAt: string }>>;
}

export interface StateStore {
  jobs: JobStore;
  conversations: ConversationStore;
  studies: StudyStore;
  /** Where the state lives, for messages ("/srv/hporec/state.sqlite"). */
  location: string;
  close(): Promise<void>;
}

export { Conversation, Study };
