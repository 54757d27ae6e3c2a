/** What a user's message says about their dataset (card fields) and their limits (constraints). */
import type { DatasetCard } from "../../metadata/card.ts";
import type { Constraints } from "../../recommend/constraints.ts";

export interface DatasetRequest {
  /** The card fields the message states (a card needs samples and classes, and for images imageSize and channels). */
  card: Partial<DatasetCard>;
  constraints: Constraints;
  /** What to optimise, when the message says ("optimise for cost"). */
  objective?: "accuracy" | "balanced" | "cost";
  /** Required card fields the message does not give: what to ask the user next. */
  missing: Array<"samples" | "classes" | "imageSize" | "channels">;
}

export function missingFields(card: Partial<DatasetCard>): DatasetRequest["missing"] {
  const needed: DatasetRequest["missing"] = ["samples", "classes"];
  if (card.modality !== "tabular" && card.modality !== "text") needed.push("imageSize", "channels");
  return needed.filter((f) => card[f] === undefined);
}
