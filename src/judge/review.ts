/**
 * The rule judge as the gate of LLM-written text: `ruleReview` rejects a written recommendation the judge fails
 * (the recommender then retries once with these reasons, then answers deterministically); `wordingProblems`
 * checks an LLM's rewording of an answer (chat) against that answer's facts.
 */
import type { AnswerReview } from "../recommend/writing.ts";
import type { Recommendation } from "../recommend/schema.ts";
import { checkText, falseClaimReasons } from "./claims/check.ts";
import { packKnowledge } from "./pack-knowledge.ts";
import { ruleJudge, type JudgeContext } from "./rule-judge.ts";
import { whyFailed } from "./verdict.ts";

export function ruleReview(ctx: JudgeContext): AnswerReview {
  return (rec) => {
    const v = ruleJudge(rec, ctx);
    return v.pass ? [] : whyFailed(v);
  };
}

/**
 * What is wrong with a text about a recommendation: its false claims and, when it presents the recommendation
 * (`complete`), a missing model or predicted metric.
 */
export function wordingProblems(text: string, rec: Recommendation, ctx: JudgeContext, complete: boolean): string[] {
  const k = packKnowledge(ctx.pack, ctx.recommender);
  const checked = checkText({ ...rec, justification: text }, k.vocabulary, k.tolerances);
  return [...falseClaimReasons(checked.claims), ...(complete ? checked.missing : [])];
}
