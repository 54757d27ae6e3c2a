import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { ruleReview } from "../../../src/judge/review.ts";
import { ruleJudge, type JudgeContext } from "../../../src/judge/rule-judge.ts";
import { loadEngine } from "../../../src/recommend/engine.ts";
import type { Recommender } from "../../../src/recommend/recommender.ts";
import type { RecommendRequest } from "../../../src/recommend/request.ts";
import type { ChoiceWriter, WriterInput } from "../../../src/recommend/writing.ts";
import type { LlmMeta } from "../../../src/recommend/schema.ts";
import { DEFAULT_PACK } from "../../../src/cli/pack-path.ts";

/**
 * The LLM writer held to the rule judge, with a scripted writer in place of the LLM: no model can be made to write
 * a chosen false claim on cue, so the writer is the one part replaced (the tiny GGUFs run the real path in
 * test/integration/llm/recommend-llm.test.ts). Recommender, judge and review are the real ones.
 */
describe("an LLM-written answer must pass the rule judge", () => {
  let recommender: Recommender;
  let ctx: JudgeContext;
  const req: RecommendRequest = { dataset: { metaFeatures: { n_samples: 3000, n_classes: 7, image_size: 224, channels: 3 } }, samples: 200 };
  const meta: LlmMeta = { model: "scripted", prompt: "recommend@3", tokens: { prompt: 100, completion: 20 }, ms: 5, tokensPerSecond: 4000, attempts: 1 };
  before(async () => {
    ({ recommender } = await loadEngine(DEFAULT_PACK));
    ctx = { pack: recommender.pack, recommender };
  });

  /** A writer choosing the first candidate, writing `text(input)`; it records what it was shown. */
  function scripted(text: (input: WriterInput, call: number) => string): { writer: ChoiceWriter; calls: WriterInput[] } {
    const calls: WriterInput[] = [];
    const writer: ChoiceWriter = async (input) => {
      calls.push(input);
      const c = input.shortlist[0];
      return { ok: true, choiceId: c.candidateId, justification: text(input, calls.length), evidenceIds: [input.evidence[0].id], llm: meta };
    };
    return { writer, calls };
  }

  const honest = (input: WriterInput, offset = 0) => {
    const c = input.shortlist[0];
    return `I recommend ${c.model}: about ${(c.predicted.metric + offset).toFixed(1)} top-1 accuracy, in about ${Math.round(c.predicted.seconds! / 60)} min. [${input.evidence[0].id}]`;
  };

  test("a true text passes the first time and is delivered as the LLM's", async () => {
    const { writer, calls } = scripted((input) => honest(input));
    const rec = await recommender.recommend(req, { writer, review: ruleReview(ctx) });
    assert.equal(calls.length, 1);
    assert.equal(rec.source, "llm");
    assert.equal(ruleJudge(rec, ctx).pass, true);
  });

  test("a false claim: written once more with the judge's reasons, and the corrected text is delivered", async () => {
    const { writer, calls } = scripted((input, call) => honest(input, call === 1 ? 11 : 0));
    const rec = await recommender.recommend(req, { writer, review: ruleReview(ctx) });
    assert.equal(calls.length, 2);
    assert.equal(calls[0].feedback, undefined);
    assert.ok(calls[1].feedback?.some((r) => /the text claims ".*about \d+\.\d top-1 accuracy", which is false/.test(r)), JSON.stringify(calls[1].feedback));
    assert.equal(rec.source, "llm");
    assert.equal(rec.llm?.attempts, 2, "both writer calls are counted");
    assert.equal(ruleJudge(rec, ctx).pass, true);
  });

  test("rejected twice: the deterministic answer with a warning, never a source: llm that failed", async () => {
    const { writer, calls } = scripted(() => "I will you go to the park and make a pictround.");
    const rec = await recommender.recommend(req, { writer, review: ruleReview(ctx) });
    const plain = await recommender.recommend(req);
    assert.equal(calls.length, 2);
    assert.match(calls[1].feedback!.join("\n"), /does not name the recommended model/);
    assert.equal(rec.source, "deterministic");
    assert.deepEqual(rec.recommendation, plain.recommendation);
    assert.match(rec.warnings.at(-1)!, /^the LLM answer failed the judge twice \(.*does not name the recommended model.*\); deterministic answer given$/);
    assert.equal(rec.llm?.model, "scripted");
    assert.ok(rec.llm?.error);
    assert.equal(ruleJudge(rec, ctx).pass, true, "the fallback passes (its warning in the text is no claim)");
  });

  test("a writer that cannot answer: the deterministic answer at once (no judge retry)", async () => {
    let calls = 0;
    const failing: ChoiceWriter = async () => (calls++, { ok: false, error: "not valid JSON", llm: { ...meta, error: "not valid JSON" } });
    const rec = await recommender.recommend(req, { writer: failing, review: ruleReview(ctx) });
    assert.equal(calls, 1);
    assert.equal(rec.source, "deterministic");
    assert.match(rec.warnings.at(-1)!, /the LLM answer was unusable \(not valid JSON\); deterministic answer given/);
  });

  test("without a review, the writer's text is taken as it is (the judge is what holds it)", async () => {
    const { writer } = scripted(() => "I will you go to the park.");
    const rec = await recommender.recommend(req, { writer });
    assert.equal(rec.source, "llm");
    assert.equal(ruleJudge(rec, ctx).pass, false);
  });
});
