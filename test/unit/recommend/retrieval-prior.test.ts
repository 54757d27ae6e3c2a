import assert from "node:assert/strict";
import { it } from "node:test";
import type { DatasetSummary } from "../../../src/learner/pack.ts";
import { RetrievalPrior } from "../../../src/recommend/retrieval-prior.ts";
import { tinyLearner } from "../learner/tiny-learner.ts";

const learner = tinyLearner(1, 200);
const cfg = (model: string, lr: number, wd: number | null, opt: string) => ({ model, hyperparameters: { lr, wd, opt } });

function summary(id: string, runs: { model: string; hyperparameters: Record<string, number | string | null>; percentile: number }[]): DatasetSummary {
  return { id, name: id, source: "test", metaFeatures: {}, nRuns: runs.length, best: 1, median: 0.5, quantiles: [0, 1], topRuns: [], runs };
}

const A = summary("A", [
  { ...cfg("m1", 1e-3, 0.1, "sgd"), percentile: 1 },
  { ...cfg("m1", 1e-1, 0.1, "sgd"), percentile: 0 },
  { ...cfg("m2", 1e-4, null, "adam"), percentile: 0.25 },
]);
const B = summary("B", [{ ...cfg("m1", 1e-1, 0.9, "adam"), percentile: 0.8 }]);

it("a candidate inherits the percentile of the nearest run of its model, centred, similarity-weighted", () => {
  const prior = RetrievalPrior.of(learner);
  const candidates = [
    cfg("m1", 1e-3, 0.1, "sgd"), // equal to A's best run
    cfg("m1", 0.05, 0.1, "sgd"), // nearer (in log lr) to A's worst run
    cfg("m2", 1e-4, 0.5, "adam"), // m2: missing vs present weight decay still nearest to A's only m2 run
  ];
  const onA = prior.prior(candidates, [{ summary: A, similarity: 0.9 }]);
  assert.deepEqual([...onA].map((v) => Number(v.toFixed(9))), [0.5, -0.5, -0.25]);

  // Weighted by similarity: B (weight 0.3) has only an m1 run (0.8); its m2 candidates get the neutral 0.5.
  const both = prior.prior(candidates, [{ summary: A, similarity: 0.9 }, { summary: B, similarity: 0.3 }]);
  const w = (a: number, b: number) => (0.9 * a + 0.3 * b) / 1.2 - 0.5;
  [w(1, 0.8), w(0, 0.8), w(0.25, 0.5)].forEach((v, i) => assert.ok(Math.abs(both[i] - v) < 1e-6, `candidate ${i}: ${both[i]} vs ${v}`));

  // Same list again (a cached block): same values.
  assert.deepEqual([...prior.prior(candidates, [{ summary: A, similarity: 0.9 }, { summary: B, similarity: 0.3 }])], [...both]);
});

it("no neighbour that kept its runs gives no prior", () => {
  const prior = RetrievalPrior.of(learner);
  const out = prior.prior([cfg("m1", 1e-3, 0.1, "sgd")], [{ summary: summary("C", []), similarity: 1 }]);
  assert.deepEqual([...out], [0]);
});
