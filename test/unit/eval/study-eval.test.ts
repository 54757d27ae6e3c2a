import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateStudies } from "../../../src/eval/study-eval.ts";
import { fixture } from "./fixtures.ts";

const cheap = { seeds: 2, neighbours: 2, params: { tree_method: "hist" as const, n_estimators: 30, eta: 0.2 } };

/** Normalised score from the definition (DESIGN.md), independently of metrics.ts. */
function scorer(ys: number[]) {
  const s = [...ys].sort((a, b) => a - b);
  const max = s[s.length - 1];
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return (y: number) => (y >= max ? 1 : (y - mid) / (max - mid));
}

test("leave-one-out ask/tell: each held-out dataset's pool, asked without repeats, best-so-far from the real outcomes", async () => {
  const md = fixture(4, 30);
  const r = await evaluateStudies({ train: md, trials: [5, 1, 3, 10], ranker: cheap, tpe: false });
  assert.deepEqual(r.trials, [1, 3, 5, 10]);
  assert.equal(r.mode, "leave-one-dataset-out");
  assert.equal(r.datasets.length, 4);
  for (const d of r.datasets) {
    const runs = md.runs.filter((x) => x.datasetId === d.datasetId);
    const y = new Map(runs.map((x) => [x.id, x.outcome.best]));
    const score = scorer(runs.map((x) => x.outcome.best));
    assert.equal(d.trajectory.length, 10);
    assert.equal(new Set(d.trajectory).size, 10);
    assert.ok(d.trajectory.every((id) => y.has(id)), "a trajectory holds only the held-out dataset's runs");
    const expected = r.trials.map((n) => score(Math.max(...d.trajectory.slice(0, n).map((id) => y.get(id)!))));
    d.bestSoFar.hporec!.forEach((v, j) => assert.ok(Math.abs(v - expected[j]) < 1e-12));
    // The first ask is the zero-shot pick.
    assert.equal(d.bestSoFar.hporec![0], d.bestSoFar["zero-shot"]![0]);
    // Random search after one draw: the mean score over the pool.
    const mean1 = runs.reduce((a, x) => a + score(x.outcome.best), 0) / runs.length;
    assert.ok(Math.abs(d.bestSoFar["random-search"]![0] - mean1) < 1e-9);
  }
  const methods = r.aggregate.map((a) => a.method);
  assert.deepEqual(methods, ["hporec", "zero-shot", "random-search"]);
  assert.equal(r.skipped, "left out (--no-tpe)");
});

test("train/test ask/tell evaluates every test dataset with one model trained without them", async () => {
  const train = fixture(4, 20, 1);
  const test = { ...fixture(2, 15, 7), name: "holdout" };
  const r = await evaluateStudies({ train, test, trials: [1, 5], ranker: cheap, tpe: false });
  assert.equal(r.mode, "train-test");
  assert.equal(r.test, "holdout");
  assert.deepEqual(r.datasets.map((d) => d.datasetId), ["d0", "d1"]);
  for (const d of r.datasets) assert.ok(d.trajectory.every((id) => test.runs.some((x) => x.id === id && x.datasetId === d.datasetId)));
});

test("Optuna TPE runs on the same pools (Debian python3-optuna) and its best-so-far never falls", async (t) => {
  const r = await evaluateStudies({ train: fixture(3, 20), trials: [1, 5, 10], ranker: cheap, tpe: { seeds: 2 } });
  if (r.skipped) return t.skip(r.skipped);
  for (const d of r.datasets) {
    const tpe = d.bestSoFar["optuna-tpe"]!;
    assert.equal(tpe.length, 3);
    assert.ok(tpe[0] <= tpe[1] && tpe[1] <= tpe[2], tpe.join(","));
    assert.ok(tpe[2] <= 1);
  }
  assert.ok(r.aggregate.some((a) => a.method === "optuna-tpe"));
});

test("parallel asks: k configurations at a time, never a run twice, starting from the zero-shot pick; the first batch is chosen diverse", async () => {
  const md = fixture(3, 30);
  const one = await evaluateStudies({ train: md, trials: [1, 3, 9], ranker: cheap, tpe: false });
  const three = await evaluateStudies({ train: md, trials: [1, 3, 9], ranker: cheap, tpe: false, parallel: 3 });
  assert.equal(three.parallel, 3);
  assert.equal(one.parallel, undefined);
  for (const [j, d] of three.datasets.entries()) {
    assert.equal(d.trajectory.length, 9);
    assert.equal(new Set(d.trajectory).size, 9, "no run asked twice, within or across batches");
    // Both start from the zero-shot pick; the parallel study's first batch is asked with nothing told.
    assert.equal(d.trajectory[0], one.datasets[j].trajectory[0]);
    assert.ok(d.trajectory.every((id) => md.runs.some((x) => x.id === id && x.datasetId === d.datasetId)));
  }
  // With nothing told, a sequential study follows the zero-shot order; the first batch is chosen diverse instead.
  assert.ok(three.datasets.some((d, j) => d.trajectory.slice(0, 3).join() !== one.datasets[j].trajectory.slice(0, 3).join()), "the first batch differs from the sequential study's first three somewhere");
});
