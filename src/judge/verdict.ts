/**
 * The judge's verdict on one answer: three criteria scored 0-1 with the reasons behind each score, the
 * overall pass, and (when a model is configured) the LLM judge's 1-5 grades next to the rules.
 */
import { z } from "zod";
import { LlmJudgeAnswer } from "../llm/answer-schemas.ts";

export const CRITERIA = ["format", "accuracy", "completeness"] as const;
export type Criterion = (typeof CRITERIA)[number];

/**
 * Pass thresholds of the rule scores. Format and completeness are hard checks (a malformed answer, a missing or
 * out-of-space hyperparameter, a citation of nothing, a broken constraint all fail); accuracy is graded, so a
 * slightly worse prediction or hyperparameters outside the global good ranges only lower it.
 */
export const PASS_THRESHOLDS: Record<Criterion, number> = { format: 1, accuracy: 0.6, completeness: 1 };

const Scores = z.object({ format: z.number().min(0).max(1), accuracy: z.number().min(0).max(1), completeness: z.number().min(0).max(1) });
const Reasons = z.object({ format: z.array(z.string()), accuracy: z.array(z.string()), completeness: z.array(z.string()) });

export const LlmGrades = LlmJudgeAnswer.extend({
  /** Which model graded, and what it cost. */
  model: z.string(),
  ms: z.number(),
});
export type LlmGrades = z.infer<typeof LlmGrades>;

/** One claim of the answer's text and what the judge found (see claim-check.ts). */
export const CheckedClaim = z.object({
  kind: z.string(),
  claim: z.string(),
  status: z.enum(["true", "false", "unsupported", "unchecked"]),
  why: z.string(),
  sentence: z.string(),
});

export const JudgeVerdict = z.object({
  pass: z.boolean(),
  scores: Scores,
  /** Per criterion: the problems found (each names what and why), or one sentence confirming the check. */
  reasons: Reasons,
  /** Every problem found, "criterion: what and why" (also those that did not bring a criterion under its threshold). */
  problems: z.array(z.string()).optional(),
  judge: z.enum(["rules", "rules+llm"]),
  /** Every claim found in the text, verified. */
  claims: z.array(CheckedClaim).optional(),
  /** Claims the data cannot support (e.g. "better than about 100%"): reported, not failed. */
  flags: z.array(z.string()).optional(),
  llm: LlmGrades.optional(),
  /** Why the LLM judge did not grade although a model was configured (its answer was unusable). */
  llmError: z.string().optional(),
});
export type JudgeVerdict = z.infer<typeof JudgeVerdict>;

export function passes(scores: JudgeVerdict["scores"]): boolean {
  return CRITERIA.every((c) => scores[c] >= PASS_THRESHOLDS[c] - 1e-9);
}

/** The reasons of the criteria that fell short, prefixed by the criterion: why a verdict fails. */
export function failureReasons(v: Pick<JudgeVerdict, "scores" | "reasons">): string[] {
  return CRITERIA.filter((c) => v.scores[c] < PASS_THRESHOLDS[c] - 1e-9).flatMap((c) => v.reasons[c].map((r) => `${c}: ${r}`));
}

/** Why a verdict fails: its problems, or (a graded criterion low without a single problem) its failing criteria's reasons. */
export function whyFailed(v: Pick<JudgeVerdict, "scores" | "reasons" | "problems">): string[] {
  return v.problems?.length ? v.problems : failureReasons(v);
}
