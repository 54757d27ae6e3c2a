/**
 * The write stage: a writer (the LLM, llm-writer.ts) sees the top candidates with their SHAP drivers and the
 * evidence behind all of them; its choice becomes the answer (the others stay alternatives) with its
 * justification. An answer the review rejects is written once more with the reasons; when the writer fails or
 * the review rejects twice, the deterministic answer is returned with a warning naming why.
 */
import type { Composer } from "./compose.ts";
import type { Drivers } from "./drivers.ts";
import type { EvidenceRef, LlmMeta, Recommendation, RecommendedConfig } from "./schema.ts";
import type { Scored } from "./scoring.ts";
import type { JustificationOptions } from "./writer.ts";

/** How many of the top-ranked candidates a writer chooses from. */
export const SHORTLIST_SIZE = 5;

/** What a writer (the LLM) sees: the deterministic answer, the shortlisted candidates and the evidence it may cite. */
export interface WriterInput {
  answer: Recommendation;
  shortlist: (RecommendedConfig & { drivers: Drivers })[];
  evidence: EvidenceRef[];
  /** On the retry: why the judge rejected the previous answer. */
  feedback?: string[];
}

export type WriterOutput =
  | { ok: true; choiceId: string; justification: string; evidenceIds: string[]; llm: LlmMeta }
  | { ok: false; error: string; llm?: LlmMeta };

export type ChoiceWriter = (input: WriterInput) => Promise<WriterOutput>;

/** Judges a written answer: the reasons it fails, none when it passes. */
export type AnswerReview = (rec: Recommendation) => string[];

export interface WriteOptions extends JustificationOptions {
  writer?: ChoiceWriter;
  /** A written answer that fails it is written once more with the reasons, then replaced by the deterministic one. */
  review?: AnswerReview;
}

/** The written answer for a ranking (`ranked`, best first) whose deterministic answer is `answer`. */
export async function writtenAnswer(writer: ChoiceWriter, ranked: Scored[], answer: Recommendation, compose: Composer, review?: AnswerReview): Promise<Recommendation> {
  const shortlist = ranked.slice(0, SHORTLIST_SIZE).map((s) => ({ scored: s, drivers: compose.drivers(s) }));
  const evidence = uniqueById(shortlist.flatMap((e) => compose.evidence(e.scored, e.drivers)));
  const fallback = (why: string, llm?: LlmMeta): Recommendation => {
    const rec: Recommendation = { ...answer, warnings: [...answer.warnings, `${why}; deterministic answer given`], llm };
    rec.justification = compose.justify(rec);
    return rec;
  };
  let feedback: string[] | undefined;
  let spent: LlmMeta | undefined;
  for (let attempt = 1; ; attempt++) {
    const out = await writer({ answer, shortlist: shortlist.map((e) => ({ ...compose.config(e.scored), drivers: e.drivers })), evidence, feedback });
    spent = addUp(spent, out.llm);
    if (!out.ok) return fallback(`the LLM answer was unusable (${out.error})`, spent);
    const chosen = shortlist.find((e) => e.scored.candidate.id === out.choiceId);
    if (!chosen) throw new Error(`internal: the writer chose ${out.choiceId}, which is not a shortlisted candidate`);
    const composed = compose.answer(chosen.scored, chosen.drivers);
    const cited = evidence.filter((e) => out.evidenceIds.includes(e.id));
    const rec: Recommendation = { ...composed, evidence: uniqueById([...cited, ...composed.evidence]), justification: out.justification, source: "llm", llm: spent };
    feedback = review?.(rec);
    if (!feedback?.length) return rec;
    if (attempt === 2) return fallback(`the LLM answer failed the judge twice (${feedback.slice(0, 3).join("; ")})`, spent && { ...spent, error: feedback.join("; ") });
  }
}

/** The cost of all writer calls of one answer (the retry after a rejection included). */
export function addUp(a: LlmMeta | undefined, b: LlmMeta | undefined): LlmMeta | undefined {
  if (!a || !b) return b ?? a;
  const ms = a.ms + b.ms;
  const completion = a.tokens.completion + b.tokens.completion;
  return { ...b, tokens: { prompt: a.tokens.prompt + b.tokens.prompt, completion }, ms, tokensPerSecond: ms > 0 ? Number(((completion * 1000) / ms).toFixed(1)) : 0, attempts: a.attempts + b.attempts };
}

const uniqueById = <T extends { id: string }>(xs: T[]) => xs.filter((x, i) => xs.findIndex((y) => y.id === x.id) === i);
