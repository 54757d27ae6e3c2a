import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluate, failedOnly, type EvaluateOptions } from "../../../src/eval/protocol.ts";
import { evaluateStudies } from "../../../src/eval/study-eval.ts";
import type { CandidateConfig, DatasetCard, RankerFactory } from "../../../src/eval/ranker.ts";
import { EvaluationResult } from "../../../src/eval/types.ts";
import type { MetaDataset } from "../../../src/metadata/schema.ts";
import { InputError } from "../../../src/util/errors.ts";
import { fixture, outcomesById } from "./fixtures.ts";

/** Ranks by a side channel the test holds (true outcomes), best first or worst first. */
function oracle(truth: Map<string, number>, reversed = false): RankerFactory {
  return async () => async (_d, candidates) =>
    [...candidates].sort((a, b) => (reversed ? -1 : 1) * (truth.get(b.id)! - truth.get(a.id)!)).map((c) => c.id);
}

test("a perfect oracle scores top-1 = 1 and regret 0; a reversed oracle picks catastrophically", async () => {
  const md = fixture();
  const truth = outcomesById(md);
  const good = await evaluate({ train: md, makeRanker: oracle(truth), tpe: false });
  assert.equal(good.hporec.datasets.length, 4);
  for (const d of good.hporec.datasets) {
    assert.equal(d.top1, 1);
    assert.equal(d.regret, 0);
    assert.equal(d.catastrophic, false);
    assert.equal(d.randomSearchN, d.nCandidates, "only exhausting random search surely finds the best");
  }
  assert.equal(good.hporec.aggregate.catastrophic, 0);

  const bad = await evaluate({ train: md, makeRanker: oracle(truth, true), tpe: false });
  for (const d of bad.hporec.datasets) {
    assert.equal(d.regret, 1);
    assert.equal(d.catastrophic, true);
    assert.equal(d.randomSearchN, 1, "any single random draw is at least as good as the worst");
  }
  assert.equal(bad.hporec.aggregate.catastrophic, 4);
  assert.doesNotThrow(() => EvaluationResult.parse(bad));
});

test("honesty: a peeking ranker finds neither the held-out dataset in training nor outcomes in candidates", async () => {
  const md = fixture();
  const snapshot = structuredClone(md);
  const seen: { heldOut: string; training: MetaDataset; card: DatasetCard; candidates: CandidateConfig[] }[] = [];
  let lastTraining: MetaDataset | undefined;
  const peeker: RankerFactory = async (training) => {
    lastTraining = training;
    // Vandalise the data handed over: must not reach the evaluator or the next ranker.
    training.runs.forEach((r) => (r.outcome.best = 999));
    return async (card, candidates) => {
      seen.push({ heldOut: card.id, training: lastTraining!, card, candidates });
      return candidates.map((c) => c.id);
    };
  };
  await evaluate({ train: md, makeRanker: peeker, tpe: false });
  assert.equal(seen.length, 4);
  for (const s of seen) {
    assert.ok(!s.training.datasets.some((d) => d.id === s.heldOut), "held-out card in training");
    assert.ok(!s.training.runs.some((r) => r.datasetId === s.heldOut), "held-out runs in training");
    const candidateIds = new Set(s.candidates.map((c) => c.id));
    assert.ok(!s.training.runs.some((r) => candidateIds.has(r.id)), "a candidate run in training");
    assert.ok(!JSON.stringify(s.training).includes(`"${s.heldOut}"`), "held-out id anywhere in training");
    for (const c of s.candidates) {
      assert.deepEqual(Object.keys(c).sort(), ["hyperparameters", "id", "model"]);
      const text = JSON.stringify(c);
      for (const leak of ["outcome", "cost", "epochs", "status", "curve", "Seconds"]) assert.ok(!text.includes(leak), leak);
    }
    assert.equal(s.card.id, s.heldOut);
    assert.deepEqual(Object.keys(s.card.metaFeatures).sort(), ["n_classes", "n_samples"]);
  }
  assert.deepEqual(md, snapshot, "the vandalised copies did not reach the caller's meta-dataset");
});

test("candidates arrive in a seeded shuffled order, not the table's", async () => {
  const md = fixture(2, 30);
  const orders: string[][] = [];
  const recordOrder: RankerFactory = async () => async (_d, c) => (orders.push(c.map((x) => x.id)), c.map((x) => x.id));
  await evaluate({ train: md, makeRanker: recordOrder, tpe: false });
  await evaluate({ train: md, makeRanker: recordOrder, tpe: false });
  const tableOrder = md.runs.filter((r) => r.datasetId === "d0").map((r) => r.id);
  assert.notDeepEqual(orders[0], tableOrder);
  assert.deepEqual(orders[0], orders[2], "same seed, same order");
  // A subset run shows a dataset its candidates in the same order as the full run.
  await evaluate({ train: md, makeRanker: recordOrder, tpe: false, datasets: ["d1"] });
  assert.deepEqual(orders[4], orders[1]);
});

test("baselines on the same candidates: portfolio, random search 1/5/10/20, extra rankers", async () => {
  const md = fixture(5, 40);
  const truth = outcomesById(md);
  let factoryCalls = 0;
  const result = await evaluate({
    train: md,
    makeRanker: async (t, ctx) => (factoryCalls++, assert.equal(ctx.objective, "cost"), oracle(truth)(t, ctx)),
    baselines: [{ name: "meta-learner", makeRanker: oracle(truth, true) }],
    objective: "cost",
    tpe: false,
  });
  assert.equal(factoryCalls, 5, "leave-one-out trains once per held-out dataset");
  assert.equal(result.objective, "cost");
  assert.deepEqual(
    result.baselines.map((b) => b.name),
    ["portfolio", "meta-learner", "random-search-1", "random-search-5", "random-search-10", "random-search-20"],
  );
  for (const b of result.baselines) {
    assert.notEqual(b.kind, "skipped");
    if (b.kind !== "skipped") assert.deepEqual(b.datasets.map((d) => d.datasetId), ["d0", "d1", "d2", "d3", "d4"]);
  }
  const portfolio = result.baselines.find((b) => b.name === "portfolio")!;
  assert.equal(portfolio.kind, "ranking");
  // The fixture favours "vit" everywhere: the portfolio's pick is a vit on every dataset.
  if (portfolio.kind === "ranking")
    for (const d of portfolio.datasets) assert.equal(md.runs.find((r) => r.id === d.rankedRunIds[0])!.model, "vit");
  const rs = (n: number) => result.baselines.find((b) => b.name === `random-search-${n}`)!;
  const mean = (n: number) => {
    const b = rs(n);
    return b.kind === "expected" ? b.aggregate.score.mean : NaN;
  };
  assert.ok(mean(1) < mean(5) && mean(5) < mean(10) && mean(10) < mean(20));
  assert.equal(result.randomSearchCurve.length, 50);
  assert.ok(Math.abs(result.randomSearchCurve[9].score - mean(10)) < 1e-12);
});

test("portfolio: false leaves the portfolio baseline out and changes nothing else", async () => {
  const md = fixture(4, 20);
  const truth = outcomesById(md);
  const opts: EvaluateOptions = { train: md, makeRanker: oracle(truth), baselines: [{ name: "meta-learner", makeRanker: oracle(truth, true) }], tpe: false };
  const both = await evaluate(opts);
  const without = await evaluate({ ...opts, portfolio: false });
  assert.deepEqual(without.baselines.map((b) => b.name), both.baselines.map((b) => b.name).filter((n) => n !== "portfolio"));
  assert.deepEqual(without.hporec, both.hporec);
  assert.deepEqual(without.baselines, both.baselines.filter((b) => b.name !== "portfolio"));
});

test("train/test: trained once, test datasets never in training; --datasets subset", async () => {
  const train = fixture(4, 20, 1);
  const test = fixture(3, 20, 2); // ids d0..d2 collide with training ids: they must be cut out of training
  const trainings: MetaDataset[] = [];
  const result = await evaluate({
    train,
    test,
    makeRanker: async (t) => (trainings.push(t), async (_d, c) => c.map((x) => x.id)),
    tpe: false,
  });
  assert.equal(result.mode, "train-test");
  assert.equal(trainings.length, 1);
  assert.deepEqual(trainings[0].datasets.map((d) => d.id), ["d3"]);
  assert.deepEqual(result.hporec.datasets.map((d) => d.datasetId), ["d0", "d1", "d2"]);
  assert.ok(result.hporec.datasets.every((d) => test.runs.some((r) => r.id === d.rankedRunIds[0] && r.datasetId === d.datasetId)));

  const slice = await evaluate({ train, makeRanker: oracle(outcomesById(train)), tpe: false, datasets: ["d2", "d0"] });
  assert.deepEqual(slice.hporec.datasets.map((d) => d.datasetId), ["d0", "d2"]);
  await assert.rejects(evaluate({ train, makeRanker: oracle(new Map()), tpe: false, datasets: ["nope"] }), InputError);
});

test("a ranking naming a non-candidate fails loudly", async () => {
  await assert.rejects(
    evaluate({ train: fixture(2, 10), makeRanker: async () => async () => ["r0-0", "not-a-run"], tpe: false }),
    /not a candidate/,
  );
});

test("--min-epochs: pools keep the runs trained that long (and those of unknown length); training keeps every run", async () => {
  const md = fixture(3, 12);
  // Runs 0-3 of each dataset stopped after one epoch, run 4 has no recorded length, the rest ran 2 epochs.
  md.runs.forEach((r) => {
    const k = Number(r.id.split("-")[1]);
    if (k < 4) r.epochs = 1;
    if (k === 4) delete r.epochs;
  });
  const seenTraining: number[] = [];
  const pools: string[][] = [];
  const spy: RankerFactory = async (training) => {
    seenTraining.push(training.runs.length);
    return async (_d, candidates) => {
      pools.push(candidates.map((c) => c.id).sort());
      return candidates.map((c) => c.id);
    };
  };
  const r = await evaluate({ train: md, makeRanker: spy, tpe: false, minEpochs: 2 });
  assert.equal(r.minEpochs, 2);
  assert.deepEqual(seenTraining, [24, 24, 24], "leave-one-out trains on the other datasets' runs, stopped ones too");
  for (const pool of pools) {
    assert.equal(pool.length, 8);
    assert.ok(pool.every((id) => Number(id.split("-")[1]) >= 4), pool.join(","));
  }
  for (const d of r.hporec.datasets) assert.equal(d.nCandidates, 8);
  assert.equal((await evaluate({ train: md, makeRanker: spy, tpe: false })).minEpochs, undefined);
  await assert.rejects(
    evaluate({ train: md, makeRanker: spy, tpe: false, minEpochs: 3 }),
    (e: unknown) => e instanceof InputError && /fewer than 2 runs of at least 3 epochs on dataset\(s\) d0, d1, d2/.test(e.message),
  );
});

test("a held-out dataset with one run is left out of every figure and named, unless asked for by name", async () => {
  const md = fixture(3, 12);
  md.runs = md.runs.filter((r) => r.datasetId !== "d1" || r.id === "r1-0");
  const r = await evaluate({ train: md, makeRanker: async () => async (_d, c) => c.map((x) => x.id), tpe: false });
  assert.deepEqual(r.hporec.datasets.map((d) => d.datasetId), ["d0", "d2"]);
  assert.deepEqual(r.leftOut, [{ datasetId: "d1", runs: 1, reason: "1 run: a pool needs 2 to be ranked" }]);
  assert.deepEqual(EvaluationResult.parse(r).leftOut, r.leftOut);
  const studied = await evaluateStudies({ train: md, trials: [1, 3], tpe: false });
  assert.deepEqual(studied.datasets.map((d) => d.datasetId), ["d0", "d2"]);
  assert.deepEqual(studied.leftOut, r.leftOut);
  // Named in --datasets, or every dataset that thin: an error that says so.
  await assert.rejects(evaluate({ train: md, makeRanker: async () => async (_d, c) => c.map((x) => x.id), tpe: false, datasets: ["d0", "d1"] }), (e: unknown) => e instanceof InputError && /fewer than 2 runs on dataset\(s\) d1: nothing to rank/.test(e.message) && e.where === "--datasets");
  const single = fixture(2, 12);
  single.runs = single.runs.filter((x) => x.id.endsWith("-0"));
  await assert.rejects(evaluate({ train: single, makeRanker: async () => async (_d, c) => c.map((x) => x.id), tpe: false }), /fewer than 2 runs on dataset\(s\) d0, d1/);
  const full = await evaluate({ train: fixture(3, 12), makeRanker: async () => async (_d, c) => c.map((x) => x.id), tpe: false });
  assert.equal(full.leftOut, undefined);
});

test("failedOnly: datasets a history holds failed runs of and no run, with the failures counted by reason", () => {
  const md = fixture(2, 5);
  const failure = (datasetId: string, reason: "crashed" | "stopped-early") => ({ id: `${datasetId}-${reason}-${Math.random()}`, datasetId, model: "vit", hyperparameters: {}, reason, detail: reason, cost: {} });
  const fs = [failure("d0", "crashed"), failure("x", "crashed"), failure("x", "stopped-early"), failure("x", "crashed")];
  assert.deepEqual(failedOnly(md, fs), [{ datasetId: "x", runs: 0, reason: "no usable run: 2 crashed, 1 stopped-early" }]);
  assert.deepEqual(failedOnly(md, []), []);
});
