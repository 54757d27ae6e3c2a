import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { ruleJudge, type JudgeContext } from "../../../src/judge/rule-judge.ts";
import { JudgeVerdict, PASS_THRESHOLDS } from "../../../src/judge/verdict.ts";
import { loadEngine } from "../../../src/recommend/engine.ts";
import { sampleConfigurations } from "../../../src/recommend/candidates.ts";
import type { Recommendation } from "../../../src/recommend/schema.ts";
import { DEFAULT_PACK } from "../../../src/cli/pack-path.ts";
import { createRng } from "../../../src/util/random.ts";

describe("rule judge on the default pack", () => {
  let ctx: JudgeContext;
  let rec: Recommendation;
  before(async () => {
    const { recommender } = await loadEngine(DEFAULT_PACK);
    ctx = { pack: recommender.pack, recommender };
    rec = await recommender.recommend({ dataset: { metaFeatures: { n_samples: 3000, n_classes: 7, image_size: 224, channels: 3 }, domain: "medical" }, samples: 300 });
  });

  /** A deep copy of the real answer, changed by `edit`, then judged. */
  function judge(edit: (r: Recommendation) => void = () => {}): JudgeVerdict {
    const r = structuredClone(rec);
    edit(r);
    const v = ruleJudge(r, ctx);
    assert.doesNotThrow(() => JudgeVerdict.parse(v));
    return v;
  }

  function assertFails(v: JudgeVerdict, criterion: "format" | "accuracy" | "completeness", reason: RegExp) {
    assert.equal(v.pass, false, JSON.stringify(v.reasons));
    assert.ok(v.scores[criterion] < PASS_THRESHOLDS[criterion], `${criterion} ${v.scores[criterion]}`);
    assert.ok(v.reasons[criterion].some((r) => reason.test(r)), `no reason matching ${reason} in ${JSON.stringify(v.reasons[criterion])}`);
  }

  test("a real recommendation passes every criterion", () => {
    const v = judge();
    assert.equal(v.pass, true, JSON.stringify(v.reasons));
    assert.deepEqual([v.scores.format, v.scores.completeness], [1, 1]);
    assert.ok(v.scores.accuracy >= PASS_THRESHOLDS.accuracy);
    assert.equal(v.judge, "rules");
  });

  test("also without a recommender (the pack's explanations are read from disk)", () => {
    assert.equal(ruleJudge(rec, { pack: ctx.pack }).pass, true);
  });

  test("a missing hyperparameter", () => assertFails(judge((r) => delete r.recommendation.hyperparameters.lr), "completeness", /missing hyperparameter lr/));

  test("an out-of-range value", () =>
    assertFails(judge((r) => (r.recommendation.hyperparameters.drop = 0.9)), "completeness", /drop = 0\.9\d* is outside the space \[0, 0\.4/));

  test("a wrong categorical value", () =>
    assertFails(judge((r) => (r.recommendation.hyperparameters.opt = "rmsprop")), "completeness", /opt = "rmsprop" is not one of adam/));

  test("an unknown model", () => assertFails(judge((r) => (r.recommendation.model = "resnet9000")), "completeness", /model "resnet9000" is not one of/));

  test("a citation of a nonexistent evidence id", () =>
    assertFails(judge((r) => (r.justification += " See [ds:NOPE].")), "completeness", /cites \[ds:NOPE\], which is no evidence document/));

  test("no citation at all", () => assertFails(judge((r) => (r.justification = "Trust me.")), "completeness", /cites no evidence id/));

  test("a violated budget", () => assertFails(judge((r) => (r.constraints = { budgetSeconds: 60 })), "completeness", /exceeds the budget of 60 s/));

  test("a violated model constraint", () => {
    assertFails(judge((r) => (r.constraints = { denyModels: [r.recommendation.model] })), "completeness", /is excluded by the constraints/);
    assertFails(judge((r) => (r.constraints = { allowModels: ["volo_d1_224"] })), "completeness", /is not among the allowed volo_d1_224/);
  });

  test("a violated fixed value", () => {
    // A value other than the pick's (which changes when the default pack is rebuilt).
    const other = rec.recommendation.hyperparameters.mixup === 8 ? 2 : 8;
    assertFails(judge((r) => (r.constraints = { fixed: { mixup: other } })), "completeness", new RegExp(`mixup = .* although fixed at ${other}`));
  });

  test("a recommended configuration far worse than the best candidate", () => {
    const { pack } = ctx;
    const pool = sampleConfigurations(pack.space.searchSpace, pack.space.models, 200, createRng(3));
    const p = pack.learner.predict(rec.dataset, pool);
    const worst = p.mean.indexOf(Math.min(...p.mean));
    const v = judge((r) => {
      r.recommendation = { ...r.recommendation, ...pool[worst], predicted: { ...r.recommendation.predicted, score: Number(p.mean[worst].toFixed(4)), seconds: Math.round(p.seconds[worst]) } };
    });
    assertFails(v, "accuracy", /below the best of .* reference configurations/);
    // The configuration is valid; only the text, still about the old pick, no longer fits the answer.
    const spaceReasons = v.reasons.completeness.filter((r) => !/the text/.test(r));
    assert.deepEqual(spaceReasons.filter((r) => !/all \d+ hyperparameters present|cites \d+ evidence/.test(r)), [], JSON.stringify(v.reasons.completeness));
  });

  test("stated predictions that are not the meta-learner's", () =>
    assertFails(judge((r) => (r.recommendation.predicted.score -= 0.3)), "accuracy", /not the meta-learner's.*score/));

  test("a malformed answer fails format and names the field", () => {
    const v = judge((r) => delete (r as Partial<Recommendation>).alternatives);
    assertFails(v, "format", /schema: alternatives/);
    assert.equal(v.scores.completeness, 1, "the other checks still run");
  });

  test("something that is not a recommendation at all", () => {
    const v = ruleJudge({ hello: 1 }, ctx);
    assert.equal(v.pass, false);
    assert.deepEqual(v.scores, { format: 0, accuracy: 0, completeness: 0 });
    assert.match(v.reasons.completeness[0], /not judged: the answer has no usable dataset, recommendation/);
  });
});
