/**
 * The write stage with scripted writers standing in for the LLM (the real one, with the tiny GGUFs, is in
 * test/integration/llm and judge/llm-review): they choose and cite exactly what each test needs, so every branch
 * of the orchestration (accepted, retried, failed, rejected twice) is reached on purpose.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { composer } from "../../../src/recommend/compose.ts";
import type { LlmMeta } from "../../../src/recommend/schema.ts";
import { addUp, SHORTLIST_SIZE, writtenAnswer, type ChoiceWriter, type WriterInput, type WriterOutput } from "../../../src/recommend/writing.ts";
import { composeContext, dataset, rankingOf, scored } from "./stage-fixtures.ts";

const ranked = Array.from({ length: 8 }, (_, i) => scored(`c${i}`, { risk: 0.9 - i / 100, metric: 85 - i, seconds: 1000 - 100 * i, model: i % 3 === 2 ? "m2" : "m1" }));
const ranking = rankingOf(ranked);
const compose = composer(composeContext(), { dataset }, ranking);
const answer = compose.answer(ranked[0]);

const meta = (ms: number, completion: number): LlmMeta => ({ model: "tiny", prompt: "recommend@1", tokens: { prompt: 100, completion }, ms, tokensPerSecond: 0, attempts: 1 });

/** A writer answering from a script, one output per call, recording what it was shown. */
function scripted(...outputs: ((input: WriterInput) => WriterOutput)[]): { writer: ChoiceWriter; calls: WriterInput[] } {
  const calls: WriterInput[] = [];
  return {
    calls,
    writer: async (input) => {
      calls.push(input);
      return outputs[calls.length - 1](input);
    },
  };
}
const choose = (id: string, evidenceIds: string[] = [], ms = 1000) => (): WriterOutput => ({ ok: true, choiceId: id, justification: `I pick ${id}.`, evidenceIds, llm: meta(ms, 50) });

it("the writer sees the deterministic answer, the top candidates with their drivers and their evidence, once each", async () => {
  const { writer, calls } = scripted(choose("c0"));
  await writtenAnswer(writer, ranking.ranked, answer, compose);
  const input = calls[0];
  assert.equal(input.answer, answer);
  assert.deepEqual(
    input.shortlist.map((c) => c.candidateId),
    ranked.slice(0, SHORTLIST_SIZE).map((s) => s.candidate.id),
  );
  input.shortlist.forEach((c, i) => assert.deepEqual(c.drivers, compose.drivers(ranked[i])));
  const ids = input.evidence.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.includes("model:m1") && ids.includes("model:m2"), ids.join(", "));
  assert.equal(input.feedback, undefined);
});

it("the writer's choice becomes the answer, its citations first, with its text and cost", async () => {
  const { writer } = scripted(choose("c2", ["model:m2", "ds:B"]));
  const rec = await writtenAnswer(writer, ranking.ranked, answer, compose);
  assert.equal(rec.source, "llm");
  assert.equal(rec.recommendation.candidateId, "c2");
  assert.equal(rec.justification, "I pick c2.");
  assert.deepEqual(
    rec.evidence.slice(0, 2).map((e) => e.id),
    ["ds:B", "model:m2"],
  );
  assert.ok(rec.alternatives.some((a) => a.candidateId === "c0"), "the first-ranked stays on offer");
  assert.deepEqual(rec.llm, meta(1000, 50));
});

it("an answer the review rejects is written once more with the reasons, and the cost of both is stated", async () => {
  const { writer, calls } = scripted(choose("c1", [], 1000), choose("c3", [], 3000));
  const review = (r: { recommendation: { candidateId: string } }) => (r.recommendation.candidateId === "c1" ? ["accuracy: not the best"] : []);
  const rec = await writtenAnswer(writer, ranking.ranked, answer, compose, review);
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[1].feedback, ["accuracy: not the best"]);
  assert.equal(rec.recommendation.candidateId, "c3");
  assert.equal(rec.llm?.ms, 4000);
  assert.equal(rec.llm?.attempts, 2);
  assert.deepEqual(rec.llm?.tokens, { prompt: 200, completion: 100 });
});

it("rejected twice: the deterministic answer, with a warning naming the reasons", async () => {
  const { writer, calls } = scripted(choose("c1"), choose("c1"));
  const rec = await writtenAnswer(writer, ranking.ranked, answer, compose, () => ["a", "b", "c", "d"]);
  assert.equal(calls.length, 2);
  assert.equal(rec.source, "deterministic");
  assert.equal(rec.recommendation.candidateId, "c0");
  assert.equal(rec.warnings.at(-1), "the LLM answer failed the judge twice (a; b; c); deterministic answer given");
  assert.match(rec.justification, /Warning: the LLM answer failed the judge twice/);
  assert.equal(rec.llm?.error, "a; b; c; d");
  assert.deepEqual(answer.warnings, [], "the deterministic answer itself is not changed");
});

it("an unusable writer output: the deterministic answer, with the error", async () => {
  const { writer } = scripted(() => ({ ok: false, error: "grammar", llm: meta(10, 0) }));
  const rec = await writtenAnswer(writer, ranking.ranked, answer, compose);
  assert.equal(rec.source, "deterministic");
  assert.deepEqual(rec.warnings, ["the LLM answer was unusable (grammar); deterministic answer given"]);
  assert.equal(rec.llm?.ms, 10);
});

it("a choice outside the shortlist is an internal error (the grammar only allows shortlisted ids)", async () => {
  const { writer } = scripted(choose("c7"));
  await assert.rejects(writtenAnswer(writer, ranking.ranked, answer, compose), /the writer chose c7, which is not a shortlisted candidate/);
});

it("adding up costs: either side alone is itself; tokens per second over the sum", () => {
  const a = meta(1000, 10);
  assert.equal(addUp(undefined, a), a);
  assert.equal(addUp(a, undefined), a);
  const sum = addUp(a, { ...meta(3000, 30), model: "other" });
  assert.deepEqual(sum, { model: "other", prompt: "recommend@1", tokens: { prompt: 200, completion: 40 }, ms: 4000, tokensPerSecond: 10, attempts: 2 });
});
