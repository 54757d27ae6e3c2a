/**
 * The LLM judge: the same three criteria graded 1-5 with a reason each, under a grammar (the grades are an
 * enum, the reasons bounded strings), from the answer and the candidates it was chosen from.
 */
import { LlmJudgeAnswer } from "../llm/answer-schemas.ts";
import type { JsonGenerator } from "../llm/json-generator.ts";
import { candidateText, constraintsText, datasetText, evidenceText, hyperparameterText } from "../llm/prompt-text.ts";
import { renderPrompt } from "../llm/prompts.ts";
import type { Recommendation } from "../recommend/schema.ts";
import type { LlmGrades } from "./verdict.ts";

export interface LlmJudgeOptions {
  maxTokens?: number;
  seed?: number;
}

export async function llmJudge(rec: Recommendation, generator: JsonGenerator, options: LlmJudgeOptions = {}): Promise<{ ok: true; grades: LlmGrades } | { ok: false; error: string }> {
  const r0 = rec.recommendation;
  const prompt = renderPrompt("judge", {
    dataset: datasetText(rec.dataset),
    candidates: [r0, ...rec.alternatives].map((c) => candidateText(c, rec.metric.name)).join("\n"),
    evidence: evidenceText(rec.evidence),
    constraints: constraintsText(rec.constraintsStated),
    answer: `chosen ${r0.candidateId}: ${r0.model}; ${hyperparameterText(r0)}\nwhy: ${rec.justification}`,
  });
  const r = await generator.generateJson({
    prompt: prompt.text,
    schema: LlmJudgeAnswer,
    schemaName: "judge_verdict",
    maxTokens: options.maxTokens,
    temperature: 0,
    seed: options.seed,
  });
  if (!r.ok) return { ok: false, error: r.error };
  return { ok: true, grades: { ...r.value, model: r.model, ms: Number(r.ms.toFixed(1)) } };
}
