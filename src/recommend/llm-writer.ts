/**
 * The LLM writer: the model picks one of the shortlisted candidates and justifies it, under a grammar built
 * from the candidate and evidence ids (enums), so even a tiny model can only name an existing configuration
 * and existing evidence; every number in the answer still comes from the meta-learner.
 */
import { recommendChoiceSchema } from "../llm/answer-schemas.ts";
import type { JsonGenerator } from "../llm/json-generator.ts";
import { candidateText, constraintsText, datasetText, evidenceText } from "../llm/prompt-text.ts";
import { renderPrompt } from "../llm/prompts.ts";
import { citedIds } from "../judge/rule-judge.ts";
import type { ChoiceWriter } from "./recommender.ts";

export interface LlmWriterOptions {
  /** Default: the generator's (--llm-max-tokens, else 512). */
  maxTokens?: number;
  temperature?: number;
  seed?: number;
}

/** Evidence lines shown: enough to cite, few enough for a small context. */
const MAX_EVIDENCE = 6;

export function llmWriter(generator: JsonGenerator, options: LlmWriterOptions = {}): ChoiceWriter {
  return async ({ answer, shortlist, evidence }) => {
    const shown = evidence.slice(0, MAX_EVIDENCE);
    const candidateIds = shortlist.map((c) => c.candidateId);
    const evidenceIds = shown.map((e) => e.id);
    const prompt = renderPrompt("recommend", {
      dataset: datasetText(answer.dataset),
      candidates: shortlist.map((c) => candidateText(c, answer.metric.name, c.drivers)).join("\n"),
      evidence: evidenceText(shown),
      constraints: constraintsText(answer.constraintsStated),
      candidateIds: candidateIds.join(", "),
      evidenceIds: evidenceIds.join(", "),
    });
    const r = await generator.generateJson({
      prompt: prompt.text,
      schema: recommendChoiceSchema(candidateIds, evidenceIds),
      schemaName: "recommendation_choice",
      maxTokens: options.maxTokens,
      temperature: options.temperature,
      seed: options.seed,
    });
    const llm = { model: r.model, prompt: prompt.version, tokens: r.tokens, ms: round(r.ms), tokensPerSecond: round(r.tokensPerSecond), attempts: r.attempts };
    if (!r.ok) return { ok: false, error: r.error, llm: { ...llm, error: r.error } };
    // Ids the model put in its text count as citations too, when they are ones it was shown.
    const cited = [...new Set([...r.value.evidence, ...citedIds(r.value.justification).filter((id) => evidenceIds.includes(id))])];
    return { ok: true, choiceId: r.value.choice, justification: withCitations(r.value.justification, cited), evidenceIds: cited, llm };
  };
}

/** The cited ids go into the text as "[id]" (where the judge and readers look), unless the model wrote them there. */
function withCitations(text: string, ids: string[]): string {
  const inText = new Set(citedIds(text));
  const missing = ids.filter((id) => !inText.has(id));
  return [text.trim(), ...missing.map((id) => `[${id}]`)].join(" ");
}

const round = (v: number) => Number(v.toFixed(1));
