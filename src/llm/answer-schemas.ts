/**
 * What the LLM itself writes, per task. Deliberately small: ids are enums built from the request (so the
 * grammar only admits existing candidates and evidence) and strings are bounded (so the grammar closes them).
 */
import { z } from "zod";

/** The recommend prompt's answer: one candidate and a justification citing evidence ids. */
export function recommendChoiceSchema(candidateIds: readonly string[], evidenceIds: readonly string[]) {
  if (candidateIds.length === 0) throw new Error("no candidate ids to choose from");
  return z.object({
    choice: z.enum(unique(candidateIds)),
    justification: z.string().min(1).max(400),
    evidence: evidenceList(evidenceIds),
  });
}

// A literal enum, not an int range: the grammar can enforce an enum but not numeric bounds.
const Grade = z.object({ score: z.literal([1, 2, 3, 4, 5]), reason: z.string().min(1).max(240) });

/** The judge prompt's answer: three criteria scored 1-5 with reasons. */
export const LlmJudgeAnswer = z.object({ format: Grade, accuracy: Grade, completeness: Grade });
export type LlmJudgeAnswer = z.infer<typeof LlmJudgeAnswer>;

/** Evidence ids to cite, at least one when there is evidence; with none at all, only an empty list is admitted. */
function evidenceList(ids: readonly string[]) {
  return ids.length ? z.array(z.enum(unique(ids))).min(1).max(6) : z.array(z.string()).max(0);
}

function unique(ids: readonly string[]): [string, ...string[]] {
  return [...new Set(ids)] as [string, ...string[]];
}
