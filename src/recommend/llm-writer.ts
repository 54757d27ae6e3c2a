/**
 * The LLM writer: the model picks one of the shortlisted candidates and justifies it, under a grammar built
 * from the candidate and evidence ids (enums), so even a tiny model can only name an existing configuration
 * and existing evidence; every structured number still comes from the meta-learner. What its text claims is
 * held to the rule judge (`judgedLlmWriter`): a rejected answer is written once more with the judge's
 * reasons in the prompt, then replaced by the deterministic one.
 */
import { recommendChoiceSchema } from "../llm/answer-schemas.ts";
import type { JsonGenerator } from "../llm/json-generator.ts";
import { candidateText, constraintsText, datasetText, evidenceText } from "../llm/prompt-text.ts";
import { renderPrompt } from "../llm/prompts.ts";
import { citedIds } from "../judge/citations.ts";
import { ruleReview } from "../judge/review.ts";
import type { Recommender } from "./recommender.ts";
import type { ChoiceWriter, WriteOptions } from "./writing.ts";

export interface LlmWriterOptions {
  /** Default: the generator's (--llm-max-tokens, else 512). */
  maxTokens?: number;
  temperature?: number;
  seed?: number;
}

/** Evidence lines shown: enough to cite, few enough for a small context. */
const MAX_EVIDENCE = 6;

/** Reasons shown to the model on its retry: the first few, each cut short (small models have small contexts). */
const MAX_FEEDBACK = 4;

/** What `Recommender.recommend` needs to write with an LLM held to the rule judge (CLI, HTTP and chat alike). */
export function judgedLlmWriter(generator: JsonGenerator, recommender: Recommender, options: LlmWriterOptions = {}): WriteOptions {
  return { writer: llmWriter(generator, options), review: ruleReview({ pack: recommender.pack, recommender }) };
}

export function llmWriter(generator: JsonGenerator, options: LlmWriterOptions = {}): ChoiceWriter {
  return async ({ answer, shortlist, evidence, feedback }) => {
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
      metric: answer.metric.name,
      feedback: feedback?.length ? `\nYour previous answer was rejected by the judge:\n${feedback.slice(0, MAX_FEEDBACK).map((r) => `- ${r.slice(0, 240)}`).join("\n")}\nWrite a new one that fixes these.` : "",
    });
    const r = await generator.generateJson({
      prompt: prompt.text,
      schema: recommendChoiceSchema(candidateIds, evidenceIds),
      schemaName: "recommendation_choice",
      maxTokens: options.maxTokens,
      temperature: options.temperature,
      // The retry must not reproduce the rejected answer.
      seed: feedback?.length ? (options.seed ?? 1) + 100 : options.seed,
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
