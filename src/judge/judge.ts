/**
 * The judge: rules always; the LLM's 1-5 grades next to them when a model is configured. Pass/fail is the rules'
 * alone — a small model's grades are advice, not a gate, and must not make the same answer pass or fail by seed.
 */
import type { JsonGenerator } from "../llm/json-generator.ts";
import { Recommendation } from "../recommend/schema.ts";
import { llmJudge, type LlmJudgeOptions } from "./llm-judge.ts";
import { ruleJudge, type JudgeContext } from "./rule-judge.ts";
import type { JudgeVerdict } from "./verdict.ts";

export type { JudgeContext } from "./rule-judge.ts";

export async function judgeRecommendation(rec: unknown, ctx: JudgeContext, generator?: JsonGenerator, options: LlmJudgeOptions = {}): Promise<JudgeVerdict> {
  const verdict = ruleJudge(rec, { ...ctx, similar: ctx.similar ?? (await indexSimilar(rec, ctx)) });
  if (!generator) return verdict;
  const parsed = Recommendation.safeParse(rec);
  if (!parsed.success) return { ...verdict, llmError: "not graded by the LLM: the answer does not have the Recommendation format" };
  const r = await llmJudge(parsed.data, generator, options);
  return r.ok ? { ...verdict, judge: "rules+llm", llm: r.grades } : { ...verdict, llmError: r.error };
}

/** The knowledge index's most similar past datasets for the answer's dataset (as many as the answer lists). */
async function indexSimilar(rec: unknown, ctx: JudgeContext): Promise<JudgeContext["similar"]> {
  const parsed = Recommendation.pick({ dataset: true, similarDatasets: true }).safeParse(rec);
  if (!ctx.recommender || !parsed.success || !parsed.data.similarDatasets.length) return undefined;
  try {
    return await ctx.recommender.findSimilar(parsed.data.dataset, parsed.data.similarDatasets.length);
  } catch {
    // A dataset the index cannot embed is judged without this check (its other checks still run).
    return undefined;
  }
}

/** One line for human output: "judge: pass (format 1.00, accuracy 0.98, completeness 1.00)". */
export function verdictLine(v: JudgeVerdict): string {
  const s = v.scores;
  const rules = `format ${s.format.toFixed(2)}, accuracy ${s.accuracy.toFixed(2)}, completeness ${s.completeness.toFixed(2)}`;
  const llm = v.llm ? `; LLM ${v.llm.format.score}/${v.llm.accuracy.score}/${v.llm.completeness.score} of 5` : v.llmError ? "; LLM judge failed" : "";
  return `judge: ${v.pass ? "pass" : "FAIL"} (${rules}${llm})`;
}
