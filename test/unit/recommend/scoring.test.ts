import assert from "node:assert/strict";
import { it } from "node:test";
import { CandidateBlocks } from "../../../src/recommend/candidate-blocks.ts";
import { RetrievalPrior } from "../../../src/recommend/retrieval-prior.ts";
import { headShare, rankingScore, scoreBlocks, scoreCandidates, type ScoringModel } from "../../../src/recommend/scoring.ts";
import { extrapolationCheck } from "../../../src/recommend/extrapolation.ts";
import { dataset, packSpace, run, summary, tinyStageLearner } from "./stage-fixtures.ts";
import { tinyLearner } from "../learner/tiny-learner.ts";
import { MetaLearner } from "../../../src/learner/meta-learner.ts";

const learner = tinyStageLearner();
const model: ScoringModel = { learner, target: "rank", direction: "max", prior: RetrievalPrior.of(learner) };
const neighbours = [
  { summary: summary("A", [run("a1", "m1", 0.001), run("a2", "m2", 0.01, "adam")], 60, 90), similarity: 0.8 },
  { summary: summary("B", [run("b1", "m2", 0.0001)], 40, 70), similarity: 0.3 },
];

it("the ranking score is mean - risk aversion x spread + prior weight x prior (risk 1, prior 0 by default)", () => {
  assert.ok(Math.abs(rankingScore(0.7, 0.1, 0.2) - 0.6) < 1e-12);
  assert.equal(rankingScore(0.7, 0.1, 0.2, { riskAversion: 0 }), 0.7);
  assert.ok(Math.abs(rankingScore(0.7, 0.1, 0.2, { riskAversion: 2, prior: 0.5 }) - (0.7 - 0.2 + 0.1)) < 1e-12);
});

it("scoring prepared blocks gives what scoring their candidates does, prior and risk aversion included", () => {
  const req = { dataset, samples: 50, riskAversion: 0.5, prior: 1 };
  const blocks = new CandidateBlocks(learner, packSpace).for(req, neighbours);
  const candidates = blocks.flatMap((b) => b.candidates);
  const byBlocks = scoreBlocks(model, req, blocks, neighbours);
  assert.deepEqual(byBlocks, scoreCandidates(model, req, candidates, neighbours));
  assert.ok(byBlocks.some((s) => s.prior !== 0), "the retrieval prior is on");
});

it("members weighed by the neighbours they saw (eval --member-weighting): prepared blocks score as their candidates do", () => {
  // Member 0 was trained on A (similarity 0.8), member 1 on B (0.3): weighting moves the mean towards member 0.
  const seen = new MetaLearner(learner.featureMap, learner.outcome, learner.cost, "rank", learner.head, learner.headKind, learner.fullLength, [["A"], ["B"]]);
  const weighted: ScoringModel = { learner: seen, target: "rank", direction: "max", memberWeighting: 1 };
  const req = { dataset, samples: 40, riskAversion: 1, prior: 0 };
  const blocks = new CandidateBlocks(seen, packSpace).for(req, neighbours);
  const candidates = blocks.flatMap((b) => b.candidates);
  const byBlocks = scoreBlocks(weighted, req, blocks, neighbours);
  assert.deepEqual(byBlocks, scoreCandidates(weighted, req, candidates, neighbours));
  const plain = scoreCandidates({ ...weighted, memberWeighting: 0 }, req, candidates, neighbours);
  assert.ok(byBlocks.some((s, i) => Math.abs(s.mean - plain[i].mean) > 1e-9), "the weights change the mean");
});

it("each candidate's risk is its ranking score; without a ranking head its order is that score", () => {
  const req = { dataset, samples: 30, riskAversion: 1, prior: 0 };
  const candidates = new CandidateBlocks(learner, packSpace).for(req, neighbours).flatMap((b) => b.candidates);
  const pred = learner.predict(dataset, candidates);
  const scored = scoreCandidates(model, req, candidates, neighbours);
  scored.forEach((s, i) => {
    assert.equal(s.candidate, candidates[i]);
    assert.equal(s.mean, pred.mean[i]);
    assert.equal(s.risk, pred.mean[i] - pred.spread[i]);
    assert.equal(s.order, s.risk);
    assert.equal(s.prior, 0);
    assert.equal(s.seconds, pred.seconds[i]);
  });
});

it("a rank target's metric is read off the neighbours' outcomes: inside what they observed, higher for a higher rank", () => {
  const req = { dataset, samples: 200 };
  const candidates = new CandidateBlocks(learner, packSpace).for(req, neighbours).flatMap((b) => b.candidates);
  const scored = scoreCandidates(model, req, candidates, neighbours).sort((a, b) => a.mean - b.mean);
  for (const s of scored) {
    assert.ok(s.metric >= 40 && s.metric <= 90, `${s.metric}`);
    assert.ok(s.interval[0] <= s.interval[1]);
  }
  assert.ok(scored[0].metric < scored[scored.length - 1].metric);
  const noOutcomes = scoreCandidates(model, req, candidates.slice(0, 3), []);
  assert.ok(noOutcomes.every((s) => Number.isNaN(s.metric)), "no neighbours, no metric");
});

it("a raw target of a metric to minimise states the metric as the negated prediction, with a 2-spread range", () => {
  const req = { dataset, samples: 10 };
  const candidates = new CandidateBlocks(learner, packSpace).for(req, []).flatMap((b) => b.candidates);
  const raw = scoreCandidates({ learner, target: "raw", direction: "min" }, req, candidates, neighbours);
  for (const s of raw) {
    assert.equal(s.metric, -s.mean);
    assert.deepEqual(s.interval, [-(s.mean + 2 * s.spread), -(s.mean - 2 * s.spread)]);
  }
});

/** The tiny learner with a head whose members are another tiny learner's outcome trees (any real trees do for the wiring). */
function withHeadOf(kind: "acceptable" | "ranking", riskAversion: number) {
  const other = tinyLearner(2, 200);
  const withHead = new MetaLearner(learner.featureMap, learner.outcome, learner.cost, "rank", other.outcome, kind);
  const req = { dataset, samples: 40, riskAversion, prior: 0 };
  const candidates = new CandidateBlocks(learner, packSpace).for(req, neighbours).flatMap((b) => b.candidates);
  return { withHead, req, candidates, pred: withHead.predict(dataset, candidates) };
}

const argmax = (xs: ArrayLike<number>) => Array.from(xs).reduce((b, x, i, a) => (x > a[b] ? i : b), 0);

it("with an acceptable head, the pick weighs the head's P(acceptable) against the outcome mean by headWeight", () => {
  const { withHead, req, candidates, pred } = withHeadOf("acceptable", 0);
  for (const w of [0, 0.5, 1]) {
    const scored = scoreCandidates({ learner: withHead, target: "rank", direction: "max", headWeight: w }, req, candidates, neighbours);
    scored.forEach((s, i) => assert.ok(Math.abs(s.risk - ((1 - w) * pred.mean[i] + w * pred.order![i])) < 1e-12));
    const blend = candidates.map((_, i) => (1 - w) * pred.mean[i] + w * pred.order![i]);
    assert.equal(argmax(scored.map((s) => s.risk)), argmax(blend));
  }
  assert.notEqual(argmax(pred.mean), argmax(pred.order!), "the fixture's two scores disagree on the pick, so the weight matters");
  // A raw-metric target is not comparable with a probability: the head alone, whatever the weight.
  const raw = scoreCandidates({ learner: withHead, target: "raw", direction: "max", headWeight: 0 }, req, candidates, neighbours);
  raw.forEach((s, i) => assert.ok(Math.abs(s.risk - pred.order![i]) < 1e-12));
});

it("with a ranking head, a head share on every dataset moves the pick from the ranking score towards the head's score; the order stays the head's", () => {
  const { withHead, req, candidates, pred } = withHeadOf("ranking", 1);
  for (const share of [0, 0.5, 1]) {
    const scored = scoreCandidates({ learner: withHead, target: "rank", direction: "max", headShare: { share, where: "everywhere" } }, req, candidates, neighbours);
    scored.forEach((s, i) => {
      assert.ok(Math.abs(s.risk - ((1 - share) * (pred.mean[i] - pred.spread[i]) + share * pred.order![i])) < 1e-12);
      assert.equal(s.order, pred.order![i]);
    });
  }
  const score = (share: number) => scoreCandidates({ learner: withHead, target: "rank", direction: "max", headShare: { share, where: "everywhere" } }, req, candidates, neighbours).map((s) => s.risk);
  assert.notEqual(argmax(score(0)), argmax(score(1)), "the fixture's two scores disagree on the pick, so the share matters");
  // A raw-metric target is in metric units, not comparable with the head's rank score: the share is ignored.
  const raw = scoreCandidates({ learner: withHead, target: "raw", direction: "max", headShare: { share: 1, where: "everywhere" } }, req, candidates, neighbours);
  raw.forEach((s, i) => assert.equal(s.risk, pred.mean[i] - pred.spread[i]));
});

it("a dataset smaller than every past one gets the ranking head's small-data share in the pick; one inside the range does not", () => {
  const { withHead, req, candidates, pred } = withHeadOf("ranking", 1);
  // The fixture's dataset has 3,000 samples and 7 classes; past datasets from 5,000 samples up make it the smaller.
  const past = (minSamples: number) => [
    { id: "p", metaFeatures: { n_samples: minSamples, n_classes: 5 } },
    { id: "q", metaFeatures: { n_samples: 90_000, n_classes: 50 } },
  ];
  const risks = (m: Partial<ScoringModel>) => scoreCandidates({ learner: withHead, target: "rank", direction: "max", ...m }, req, candidates, neighbours).map((s) => s.risk);
  const blend = (share: number) => candidates.map((_, i) => (1 - share) * (pred.mean[i] - pred.spread[i]) + share * pred.order![i]);
  const close = (a: number[], b: number[]) => a.every((x, i) => Math.abs(x - b[i]) < 1e-12);
  assert.ok(close(risks({ extrapolation: extrapolationCheck(past(5000)) }), blend(0.5)), "below the past range: the default share 0.5");
  assert.ok(close(risks({ extrapolation: extrapolationCheck(past(5000)), headShare: { share: 0.25, where: "smaller-than-past" } }), blend(0.25)));
  assert.ok(close(risks({ extrapolation: extrapolationCheck(past(5000)), headShare: { share: 0, where: "smaller-than-past" } }), blend(0)), "0 turns it off");
  assert.ok(close(risks({ extrapolation: extrapolationCheck(past(1000)) }), blend(0)), "inside the range: the ranking score alone");
  assert.ok(close(risks({}), blend(0)), "no check: the ranking score alone");
  assert.ok(close(risks({ extrapolation: extrapolationCheck(past(5000)), headShare: { share: 1, where: "everywhere" } }), blend(1)), "a share everywhere applies inside the range too");
  assert.ok(close(risks({ headShare: { share: 1, where: "everywhere" } }), blend(1)), "and without a check");
  assert.ok(!close(blend(0), blend(0.5)), "the fixture's two scores differ, so the share shows");
  // The share passed in (as the Recommender does, having found it once from its check) is what decides.
  const plain = { learner: withHead, target: "rank" as const, direction: "max" as const };
  assert.ok(close(scoreCandidates(plain, req, candidates, neighbours, headShare(plain, extrapolationCheck(past(5000))(dataset))).map((s) => s.risk), blend(0.5)));
  assert.ok(close(scoreCandidates(plain, req, candidates, neighbours, 0.25).map((s) => s.risk), blend(0.25)));
  // Without a ranking head (or with an acceptable one) there is nothing to share: headShare says 0, so no warning claims it.
  const outside = extrapolationCheck(past(5000))(dataset);
  assert.equal(headShare({ learner: withHead, target: "rank", direction: "max" }, outside), 0.5);
  assert.equal(headShare({ learner: withHead, target: "rank", direction: "max" }, extrapolationCheck(past(1000))(dataset)), 0);
  assert.equal(headShare({ learner, target: "rank", direction: "max" }, outside), 0);
  assert.equal(headShare({ learner: withHeadOf("acceptable", 1).withHead, target: "rank", direction: "max" }, outside), 0);
  assert.equal(headShare({ learner: withHead, target: "raw", direction: "max" }, outside), 0);
});
