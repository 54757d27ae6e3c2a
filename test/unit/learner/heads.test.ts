import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MetaLearner, memberRuns } from "../../../src/learner/meta-learner.ts";
import { acceptableLabels, orientedOutcome } from "../../../src/learner/targets.ts";
import { fixture } from "../eval/fixtures.ts";

describe("acceptable labels", () => {
  it("are 1 exactly for runs whose regret on their own dataset is at most the threshold", () => {
    const md = fixture(3, 20, 4);
    const labels = acceptableLabels(md, 0.3);
    for (const d of md.datasets) {
      const idx = md.runs.flatMap((r, i) => (r.datasetId === d.id ? [i] : []));
      const ys = idx.map((i) => orientedOutcome(md, md.runs[i]));
      const max = Math.max(...ys);
      const min = Math.min(...ys);
      idx.forEach((i, k) => assert.equal(labels[i], (max - ys[k]) / (max - min) <= 0.3 ? 1 : 0, `run ${md.runs[i].id}`));
      // The best run of every dataset is acceptable, the worst is not.
      assert.equal(labels[idx[ys.indexOf(max)]], 1);
      assert.equal(labels[idx[ys.indexOf(min)]], 0);
    }
  });
});

describe("dataset-bagged members", () => {
  const md = fixture(10, 8, 2);
  it("train on all runs when bag = 1", () => {
    for (const m of memberRuns(md, 3, 1)) assert.equal(m.length, md.runs.length);
  });
  it("each see a seeded subset of round(bag x datasets) whole datasets, not all the same", () => {
    const members = memberRuns(md, 5, 0.6);
    const seen = members.map((idx) => new Set(idx.map((i) => md.runs[i].datasetId)));
    for (const [k, s] of seen.entries()) {
      assert.equal(s.size, 6, `member ${k}`);
      // Whole datasets: every run of a chosen dataset is in.
      for (const id of s) assert.equal(members[k].filter((i) => md.runs[i].datasetId === id).length, 8);
    }
    assert.ok(new Set(seen.map((s) => [...s].sort().join())).size > 1, "members differ");
    assert.deepEqual(memberRuns(md, 5, 0.6), members, "deterministic");
  });
  it("from another first seed are the same members further along (eval --first-seed)", () => {
    assert.deepEqual(memberRuns(md, 2, 0.6, 3), memberRuns(md, 5, 0.6).slice(3));
    const params = { n_estimators: 20 };
    const train = (seeds: number, firstSeed?: number) => MetaLearner.train(md, { target: "rank", seeds, firstSeed, params, costParams: params, head: "none", bag: 0.6 });
    const later = train(1, 2).outcome[0].model;
    assert.deepEqual(later, train(3).outcome[2].model, "member 0 from seed 2 is member 2 from seed 0");
    assert.notDeepEqual(later, train(1).outcome[0].model);
  });
});

describe("members weighed by the card's neighbours (eval --member-weighting)", () => {
  const md = fixture(10, 12, 2);
  const params = { n_estimators: 20 };
  const trained = MetaLearner.train(md, { target: "rank", seeds: 4, params, costParams: params, head: "ranking", bag: 0.6 });
  const learner = MetaLearner.from(trained, "rank");
  const configs = md.runs.slice(0, 30);

  it("know which datasets each member was trained on (those of memberRuns)", () => {
    const expected = memberRuns(md, 4, 0.6).map((idx) => [...new Set(idx.map((i) => md.runs[i].datasetId))].sort());
    assert.deepEqual(trained.memberDatasets!.map((ids) => [...ids].sort()), expected);
  });

  it("count (1 - s) + s x the share of the neighbours' similarity among the datasets a member saw", () => {
    const seen = trained.memberDatasets!;
    const inFirst = seen[0][0];
    const outOfFirst = md.datasets.map((d) => d.id).find((id) => !seen[0].includes(id))!;
    const neighbours = [{ id: inFirst, similarity: 0.6 }, { id: outOfFirst, similarity: 0.2 }, { id: "elsewhere", similarity: -0.5 }];
    const w = learner.memberWeights(neighbours, 0.5)!;
    seen.forEach((ids, m) => {
      const share = ((ids.includes(inFirst) ? 0.6 : 0) + (ids.includes(outOfFirst) ? 0.2 : 0)) / 0.8;
      assert.ok(Math.abs(w[m] - (0.5 + 0.5 * share)) < 1e-12, `member ${m}: ${w[m]}`);
    });
    assert.ok(Math.abs(w[0] - (0.5 + 0.5 * 0.75)) < 1e-12);
    assert.equal(learner.memberWeights(neighbours, 0), undefined, "strength 0: equal weights");
    assert.equal(learner.memberWeights([{ id: inFirst, similarity: -1 }], 1), undefined, "no similar neighbour: equal weights");
  });

  it("weigh the mean and the spread: equal weights change nothing, one member alone is that member", () => {
    const rows = learner.encoder.encodeForDataset(md.datasets[0], configs);
    const plain = learner.predictRows(rows, configs.length);
    const equal = learner.predictRows(rows, configs.length, Float64Array.from([2, 2, 2, 2]));
    const one = learner.predictRows(rows, configs.length, Float64Array.from([0, 0, 1, 0]));
    const only = new MetaLearner(learner.featureMap, [learner.outcome[2]], undefined, "rank", [learner.head[2]]).predictRows(rows, configs.length);
    for (let i = 0; i < configs.length; i++) {
      assert.ok(Math.abs(equal.mean[i] - plain.mean[i]) < 1e-12 && Math.abs(equal.spread[i] - plain.spread[i]) < 1e-12, `row ${i}`);
      assert.ok(Math.abs(equal.order![i] - plain.order![i]) < 1e-12);
      assert.ok(Math.abs(one.mean[i] - only.mean[i]) < 1e-12 && Math.abs(one.order![i] - only.order![i]) < 1e-12, `row ${i}`);
    }
  });
});

describe("the acceptable head", () => {
  const md = fixture(6, 30, 3);
  const params = { n_estimators: 30 };
  const trained = MetaLearner.train(md, { target: "rank", seeds: 3, params, costParams: params, head: "acceptable", bag: 0.7 });
  const learner = MetaLearner.from(trained, "rank");

  it("is an ensemble of classifiers with its own trees: probabilities in [0, 1]", () => {
    assert.equal(trained.head?.kind, "acceptable");
    assert.equal(trained.head?.models.length, 3);
    for (const m of trained.head!.models) assert.equal(m.model.objective, "binary:logistic");
    assert.notDeepEqual(trained.head!.models[0].model.left, trained.outcome[0].model.left);
    const p = learner.predict(md.datasets[0], md.runs.slice(0, 50));
    for (const v of p.order!) assert.ok(v >= 0 && v <= 1, `${v}`);
    assert.equal(p.orderSpread!.length, 50);
  });

  it("ranks the runs it was trained on: acceptable runs get higher probabilities", () => {
    const labels = acceptableLabels(md, 0.3);
    const datasets = new Map(md.datasets.map((d) => [d.id, d]));
    let good = 0;
    let bad = 0;
    let nGood = 0;
    md.runs.forEach((r, i) => {
      const p = learner.predict(datasets.get(r.datasetId)!, [r]).order![0];
      if (labels[i]) (good += p), nGood++;
      else bad += p;
    });
    assert.ok(good / nGood > bad / (md.runs.length - nGood) + 0.2, `mean P: acceptable ${good / nGood}, others ${bad / (md.runs.length - nGood)}`);
  });

  it("predicts prepared blocks as fresh rows (its own region finders, not twins of the outcome trees)", () => {
    const configs = md.runs.slice(0, 40);
    for (const d of md.datasets.slice(0, 3)) {
      const fresh = learner.predict(d, configs);
      const prepared = learner.predictPrepared(d, learner.prepare(configs));
      fresh.order!.forEach((v, i) => assert.ok(Math.abs(v - prepared.order![i]) < 1e-9, `order ${i}`));
      fresh.orderSpread!.forEach((v, i) => assert.ok(Math.abs(v - prepared.orderSpread![i]) < 1e-9, `spread ${i}`));
    }
  });
});
