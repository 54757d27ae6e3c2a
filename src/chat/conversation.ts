/** A conversation: its messages and what it has established so far (dataset, constraints, last answer). */
import type { DatasetCard } from "../metadata/card.ts";
import type { Constraints } from "../recommend/constraints.ts";
import type { Recommendation } from "../recommend/schema.ts";
import type { Objective } from "../recommend/recommender.ts";

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
  at: string;
}

export interface Conversation {
  id: string;
  createdAt: string;
  updatedAt: string;
  messages: ChatMessage[];
  /** Dataset facts gathered over the turns. */
  card: Partial<DatasetCard>;
  constraints: Constraints;
  /** What to optimise, once the user said ("optimise for cost"). */
  objective?: Objective;
  recommendation?: Recommendation;
}

export function newConversation(id: string, now = new Date()): Conversation {
  const at = now.toISOString();
  return { id, createdAt: at, updatedAt: at, messages: [], card: {}, constraints: {} };
}
