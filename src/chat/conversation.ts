/** A conversation: its messages and what it has established so far (dataset, constraints, last answer). */
import { z } from "zod";
import type { DatasetCard } from "../metadata/card.ts";
import { Constraints } from "../recommend/constraints.ts";
import { Recommendation } from "../recommend/schema.ts";
import { Study } from "../study/study.ts";
import { OBJECTIVES } from "../recommend/request.ts";

export const ChatMessage = z.object({ role: z.enum(["user", "assistant"]), content: z.string(), at: z.string() });
export type ChatMessage = z.infer<typeof ChatMessage>;

/** The stored shape, validated when read back (the card's own rules apply when a recommendation is made). */
export const Conversation = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messages: z.array(ChatMessage),
  /** Dataset facts gathered over the turns. */
  card: z.record(z.string(), z.unknown()),
  constraints: Constraints,
  /** What to optimise, once the user said ("optimise for cost"). */
  objective: z.enum(OBJECTIVES).optional(),
  recommendation: Recommendation.optional(),
  /** The conversation's study (ask/tell), from the first result told or "give me three". */
  study: Study.optional(),
  /** Suggestions awaiting a result, in the order given: a result that names none is the only one's, else the chat asks which. */
  pending: z.array(z.string()).optional(),
  /** The last list of suggestions given (a recommendation, "give me three"): what "the second one" refers to. */
  suggested: z.array(z.string()).optional(),
  /** Suggestions replaced by a new offer before a result was told: not running (the study's other asked, untold ones are). */
  released: z.array(z.string()).optional(),
  /** The study has been written to the server's study store: missing there later, it was deleted through /v1/studies. */
  studyStored: z.boolean().optional(),
});
export type Conversation = Omit<z.infer<typeof Conversation>, "card"> & { card: Partial<DatasetCard> };

export function newConversation(id: string, now = new Date()): Conversation {
  const at = now.toISOString();
  return { id, createdAt: at, updatedAt: at, messages: [], card: {}, constraints: {} };
}
