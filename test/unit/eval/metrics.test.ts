import { test } from "node:test";
import assert from "node:assert/strict";
import { median } from "../../../src/util/stats.ts";
import {
  aggregateExpected,
  aggregateRanked,
  bestOfTopK,
  costComparison,
  isCatastrophic,
  normalisedScore,
  outcomeScale,
  regret,
  scoreRanking,
  type CandidateOutcome,
} from "../../../src/eval/metrics.ts";

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);

test("median of odd and even lists", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]));
});

test("normalised score and regret on a hand-computed table", () => {
  // y = 10..50: median 30, max 50, min 10.
  const s = outcomeScale([50, 10, 40, 20, 30]);
  assert.deepEqual(s, { min: 10, median: 30, max: 50 });
  close(normalisedScore(40, s), (40 - 30) / (50 - 30)); // 0.5
  close(normalisedScore(20, s), -0.5);
  close(normalisedScore(50, s), 1);
  close(normalisedScore(30, s), 0);
  close(regret(40, s), 10 / 40); // 0.25: not catastrophic
  close(regret(20, s), 30 / 40); // 0.75: catastrophic
  assert.equal(isCatastrophic(regret(40, s)), false);
  assert.equal(isCatastrophic(regret(20, s)), true);
  assert.equal(isCatastrophic(0.3), false, "the threshold is strict: regret > 0.3");
});

test("degenerate scales: max == median, and all equal", () => {
  const s = outcomeScale([5, 5, 5, 1]); // median 5 == max
  close(normalisedScore(5, s), 1);
  close(normalisedScore(1, s), -(5 - 1) / (5 - 1)); // -regret
  close(normalisedScore(3, s), -0.5);
  const flat = outcomeScale([3, 3]);
  assert.equal(normalisedScore(3, flat), 1);
  assert.equal(regret(3, flat), 0);
});

test("best of top-k", () => {
  const s = outcomeScale([10, 20, 30, 40, 50]);
  const ranked = [20, 10, 40, 30, 50];
  close(bestOfTopK(ranked, 1, s), -0.5);
  close(bestOfTopK(ranked, 3, s), 0.5);
  close(bestOfTopK(ranked, 5, s), 1);
  close(bestOfTopK([20], 5, s), -0.5, 1e-12); // a shorter ranking uses what it has
});

test("cost comparison: the most accurate run is the cheapest among ties", () => {
  const c: CandidateOutcome[] = [
    { id: "a", y: 90, seconds: 1000 },
    { id: "b", y: 90, seconds: 400 },
    { id: "c", y: 85, seconds: 100 },
    { id: "d", y: 70, seconds: null },
  ];
  const cc = costComparison(c, c[2]);
  assert.equal(cc.bestRunId, "b");
  assert.equal(cc.bestSeconds, 400);
  assert.equal(cc.pickSeconds, 100);
  close(cc.speedup!, 4);
  close(cc.accuracyGivenUp, 5);
  assert.equal(costComparison(c, c[3]).speedup, null);
});

test("scoreRanking builds the per-dataset record and rejects bad rankings", () => {
  const c: CandidateOutcome[] = [10, 20, 30, 40, 50].map((y, i) => ({ id: `r${i}`, y, seconds: 10 * (i + 1) }));
  const rec = scoreRanking("d", c, ["r1", "r0", "r3", "r2", "r4"], 3);
  close(rec.top1, -0.5);
  close(rec.top3, 0.5);
  close(rec.top5, 1);
  close(rec.regret, 0.75);
  assert.equal(rec.catastrophic, true);
  assert.deepEqual(rec.rankedRunIds, ["r1", "r0", "r3"]);
  assert.equal(rec.nCandidates, 5);
  close(rec.cost.speedup!, 50 / 20);
  assert.throws(() => scoreRanking("d", c, [], 3), /no run ids/);
  assert.throws(() => scoreRanking("d", c, ["r1", "r1"], 3), /repeats/);
  assert.throws(() => scoreRanking("d", c, ["zz"], 3), /not a candidate/);
});

test("aggregates: mean, median, catastrophic count, geometric-mean speedup", () => {
  const c: CandidateOutcome[] = [10, 20, 30, 40, 50].map((y, i) => ({ id: `r${i}`, y, seconds: 10 * (i + 1) }));
  const recs = [["r4"], ["r3"], ["r1"]].map((ids, i) => ({ ...scoreRanking(`d${i}`, c, ids, 5), randomSearchN: 1 }));
  const a = aggregateRanked(recs);
  assert.equal(a.datasets, 3);
  close(a.top1.mean, (1 + 0.5 - 0.5) / 3);
  close(a.top1.median, 0.5);
  assert.equal(a.catastrophic, 1);
  // speedups 50/50, 50/40, 50/20 → geometric mean (1 * 1.25 * 2.5)^(1/3)
  close(a.speedup!.geometricMean, Math.cbrt(1 * 1.25 * 2.5), 1e-9);
  close(a.speedup!.median, 1.25);
  const e = aggregateExpected([
    { datasetId: "a", nCandidates: 5, score: 0.2, regret: 0.1, catastrophic: 0.25 },
    { datasetId: "b", nCandidates: 5, score: 0.6, regret: 0.3, catastrophic: 0.5 },
  ]);
  close(e.score.mean, 0.4);
  close(e.catastrophic, 0.75);
});
