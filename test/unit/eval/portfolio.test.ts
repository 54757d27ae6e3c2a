import { test } from "node:test";
import assert from "node:assert/strict";
import { familyScores, portfolioRanker } from "../../../src/eval/portfolio.ts";
import { rankPercentiles } from "../../../src/util/stats.ts";
import { rankingOf, type CandidateConfig } from "../../../src/eval/ranker.ts";
import type { MetaDataset, Run } from "../../../src/metadata/schema.ts";
import { fixture } from "./fixtures.ts";

const run = (id: string, datasetId: string, model: string, best: number): Run => ({
  id,
  datasetId,
  model,
  hyperparameters: {},
  outcome: { best, final: best },
  cost: {},
  status: "completed",
});

test("rank percentiles: 0 worst, 1 best, ties averaged", () => {
  assert.deepEqual(rankPercentiles([30, 10, 20]), [1, 0, 0.5]);
  assert.deepEqual(rankPercentiles([5, 5, 1]), [0.75, 0.75, 0]);
  assert.deepEqual(rankPercentiles([7]), [1]);
});

test("family score = mean over datasets of the family's mean percentile there", () => {
  const md: MetaDataset = {
    ...fixture(1, 1),
    runs: [
      // d0: a=90 (1), b=80 (0.5), b=70 (0)  → a: 1, b: 0.25
      run("1", "d0", "a", 90),
      run("2", "d0", "b", 80),
      run("3", "d0", "b", 70),
      // d1: b=60 (1), a=50 (0)             → a: 0, b: 1
      run("4", "d1", "b", 60),
      run("5", "d1", "a", 50),
      // d2: only c, one run                 → c: 1
      run("6", "d2", "c", 10),
    ],
  };
  const s = familyScores(md);
  assert.equal(s.get("a"), (1 + 0) / 2);
  assert.equal(s.get("b"), (0.25 + 1) / 2);
  assert.equal(s.get("c"), 1);
  // A minimised metric flips the ranks.
  const min = familyScores({ ...md, metric: { name: "error", direction: "min" } });
  assert.equal(min.get("a"), (0 + 1) / 2);
  assert.equal(min.get("b"), (0.75 + 0) / 2);
});

test("the ranker puts the best family first, keeps candidate order within it, unseen families last", async () => {
  const md: MetaDataset = { ...fixture(1, 1), runs: [run("1", "d0", "a", 90), run("2", "d0", "b", 10)] };
  const rank = await portfolioRanker()(md, { objective: "accuracy" });
  const cands: CandidateConfig[] = [
    { id: "x", model: "new", hyperparameters: {} },
    { id: "y", model: "b", hyperparameters: {} },
    { id: "z", model: "a", hyperparameters: { lr: 1 } },
    { id: "w", model: "a", hyperparameters: { lr: 2 } },
  ];
  assert.deepEqual(await rank(md.datasets[0], cands), ["z", "w", "y", "x"]);
  // A custom family key: by learning rate instead of model.
  const byLr = await portfolioRanker((c) => String(c.hyperparameters.lr))(
    { ...md, runs: [{ ...run("1", "d0", "a", 1), hyperparameters: { lr: 2 } }, { ...run("2", "d0", "a", 9), hyperparameters: { lr: 1 } }] },
    { objective: "accuracy" },
  );
  assert.deepEqual(rankingOf(await byLr(md.datasets[0], cands)).ids.slice(0, 2), ["z", "w"]);
});
