import { test } from "node:test";
import assert from "node:assert/strict";
import { FeatureEncoder, type Configuration, type FeatureMap } from "../../../src/learner/features.ts";
import type { Candidate } from "../../../src/recommend/candidates.ts";
import { ConfigGeometry } from "../../../src/study/geometry.ts";
import { DEFAULT_LEARN, StudyLearner, ZERO_SHOT, needsMoreMemory, orientedPredictions, type Expert, type LearnSettings, type Observation } from "../../../src/study/learn.ts";
import { rankPercentiles } from "../../../src/util/stats.ts";

// Two models, a log learning rate and a batch size: enough to check distances, failures and diversity.
const map: FeatureMap = {
  columns: [
    { name: "model=a", group: "model", kind: "model", category: "a" },
    { name: "model=b", group: "model", kind: "model", category: "b" },
    { name: "batch_size", group: "batch_size", kind: "hp" },
    { name: "lr", group: "lr", kind: "hp", log: true },
  ],
  metaFeatures: [],
  domains: [],
  modalities: [],
  models: ["a", "b"],
};
const encoder = new FeatureEncoder(map);

const cand = (id: string, model: string, lr: number, batch_size: number): Candidate => ({ id, model, hyperparameters: { lr, batch_size }, origin: "test" });

// Zero-shot order: c0 first, and c1 a near-copy of it.
const pool: Candidate[] = [
  cand("c0", "a", 1e-3, 32),
  cand("c1", "a", 1.05e-3, 32),
  cand("c2", "b", 1e-2, 64),
  cand("c3", "a", 1e-1, 128),
  cand("c4", "b", 1e-4, 16),
  cand("c5", "a", 1e-5, 8),
];

/** An expert scoring configurations by a function of lr (the "past dataset" that likes large / small rates). */
const byLr = (id: string, sign: number): Expert => ({ id, score: (cs) => Float64Array.from(cs, (c) => sign * Math.log10(c.hyperparameters.lr as number)) });
const zeroShot: Expert = { id: ZERO_SHOT, score: (cs) => Float64Array.from(cs, (c) => -pool.findIndex((p) => p.id === (c as Candidate).id)) };

const experts = [byLr("likes-large-lr", 1), byLr("likes-small-lr", -1)];
function learner(settings: Partial<LearnSettings> = {}) {
  return new StudyLearner({ pool, zeroShot, experts, geometry: new ConfigGeometry(encoder, pool) }, { ...DEFAULT_LEARN, ...settings });
}
const told = (c: Candidate, value: number | null, failure?: Observation["failure"]): Observation => ({ config: c, candidateId: c.id, value, ...(failure ? { failure } : {}) });

test("with no trials the first suggestion is the zero-shot pick, and several at once put its near-copy back", () => {
  const l = learner();
  assert.equal(l.ask([], 1).suggestions[0].candidate.id, "c0");
  const three = l.ask([], 3).suggestions.map((s) => s.candidate.id);
  assert.equal(three[0], "c0");
  // Without diversity c1 (zero-shot second) would come next; its similarity to c0 puts c2 before it.
  assert.equal(three[1], "c2", `near-copy chosen second: ${three}`);
  assert.equal(new Set(three).size, 3);
  const b = l.belief([]);
  assert.equal(b.pairs, 0);
  assert.equal(b.trust, 0);
});

test("told configurations are never suggested again", () => {
  const l = learner();
  const ids = l.ask([told(pool[0], 70), told(pool[2], 60)], pool.length).suggestions.map((s) => s.candidate.id);
  assert.ok(!ids.includes("c0") && !ids.includes("c2"));
  assert.equal(ids.length, pool.length - 2);
});

test("the past dataset that orders the told results correctly gains weight and steers the ranking", () => {
  const l = learner();
  // Larger learning rates did better here: c3 (0.1) > c2 (0.01) > c0 (0.001).
  const trials = [told(pool[0], 50), told(pool[2], 60), told(pool[3], 80)];
  const b = l.belief(trials);
  assert.equal(b.pairs, 3);
  const w = Object.fromEntries(b.weights.map((x) => [x.id, x]));
  assert.equal(w["likes-large-lr"].concordant, 3);
  assert.equal(w["likes-small-lr"].discordant, 3);
  assert.ok(w["likes-large-lr"].weight > w[ZERO_SHOT].weight && w[ZERO_SHOT].weight > w["likes-small-lr"].weight);
  assert.ok(Math.abs(b.weights.reduce((a, x) => a + x.weight, 0) - 1) < 1e-9);
  // The remaining candidates: c1 (1.05e-3), c4 (1e-4), c5 (1e-5); the large-lr expert prefers c1 over c5.
  const order = l.ask(trials, 3).suggestions.map((s) => s.candidate.id);
  assert.ok(order.indexOf("c1") < order.indexOf("c5"), order.join(","));
});

test("an out-of-memory run rules out its model at that batch size and larger, not smaller or other models", () => {
  const l = learner();
  const oom = told(cand("x", "a", 1e-3, 32), null, "oom");
  const ids = l.ask([oom], pool.length).suggestions.map((s) => s.candidate.id);
  for (const gone of ["c0", "c1", "c3"]) assert.ok(!ids.includes(gone), `${gone} (model a, batch >= 32) still suggested`);
  for (const kept of ["c2", "c4", "c5"]) assert.ok(ids.includes(kept), `${kept} ruled out`);
});

test("an out-of-memory run also rules out the models that need more memory, at that batch size and larger", () => {
  // Sizes from the model zoo (parameters M, input px): volo_d3_448 86.3/448; beit_large 305.7/512 is larger in both;
  // efficientnet_b7 66.4/600 has fewer parameters, volo_d1 26.8/384 and xcit_small 26.2/384 are smaller.
  const models = ["volo_d3_448", "beit_large_patch16_512", "tf_efficientnet_b7_ns", "volo_d1_384", "xcit_small_12_p8_384_dist"];
  const zoo = new FeatureEncoder({ ...map, columns: [...models.map((m) => ({ name: `model=${m}`, group: "model", kind: "model" as const, category: m })), ...map.columns.slice(2)], models });
  const zooPool = [cand("v3-32", models[0], 1e-3, 32), cand("v3-16", models[0], 1e-3, 16), cand("beit-64", models[1], 1e-3, 64), cand("beit-16", models[1], 1e-3, 16), cand("b7-64", models[2], 1e-3, 64), cand("v1-64", models[3], 1e-3, 64), cand("x-64", models[4], 1e-3, 64)];
  const l = new StudyLearner({ pool: zooPool, zeroShot, experts, geometry: new ConfigGeometry(zoo, zooPool) }, DEFAULT_LEARN);
  const ids = l.ask([told(cand("oom", models[0], 3e-4, 32), null, "oom")], zooPool.length).suggestions.map((s) => s.candidate.id);
  assert.deepEqual(ids.filter((id) => ["v3-32", "beit-64"].includes(id)), [], `ruled out: ${ids}`);
  assert.deepEqual(["v3-16", "beit-16", "b7-64", "v1-64", "x-64"].filter((id) => !ids.includes(id)), [], `kept: ${ids}`);
  assert.equal(needsMoreMemory("beit_large_patch16_512", "volo_d3_448"), true);
  assert.equal(needsMoreMemory("volo_d3_448", "volo_d3_448"), false, "the same model is the batch rule's own case");
  assert.equal(needsMoreMemory("constructor", "volo_d3_448"), false, "a name the zoo does not know");
});

test("a diverged run rules out that learning rate and larger for its model", () => {
  const l = learner();
  const ids = l.ask([told(cand("x", "a", 1e-2, 8), null, "diverged")], pool.length).suggestions.map((s) => s.candidate.id);
  assert.ok(!ids.includes("c3"));
  assert.ok(ids.includes("c0") && ids.includes("c5") && ids.includes("c2"));
});

test("the geometry standardises hyperparameters and separates models", () => {
  const g = new ConfigGeometry(encoder, pool);
  const [p0, p1, p2, p3] = g.points(pool.slice(0, 4) as Configuration[]);
  assert.equal(g.distance(p0, p2), Infinity);
  assert.equal(g.distance(p0, p0), 0);
  assert.ok(g.distance(p0, p1) < g.distance(p0, p3));
});

test("once a past dataset outweighs the zero-shot model, the improvement acquisition asks where the weighted experts expect most above the results told", () => {
  const improvement = { acquisition: "improvement", exploit: 1, local: 0 } as const;
  // Reference, computed here from the experts' own scores: each expert's percentile of every pool candidate (the
  // zero-shot one from the pool order), its bar = the highest percentile among the told results (a configuration
  // outside the pool placed at the share of the pool it scores above), and the weights of the belief.
  const pct = (e: Expert) => (e === zeroShot ? pool.map((_, i) => 1 - i / (pool.length - 1)) : rankPercentiles([...e.score(pool)], 0.5));
  const placed = (e: Expert, t: Observation) => {
    const i = pool.findIndex((c) => c.id === t.candidateId);
    if (i >= 0) return pct(e)[i];
    const v = e.score([t.config])[0];
    return [...e.score(pool)].filter((x) => x < v).length / (pool.length - 1);
  };
  // Larger learning rates did better, against the zero-shot order (c0 before c2): the large-lr expert takes the lead.
  const rising = [told(pool[5], 10), told(pool[4], 20), told(pool[0], 30), told(pool[2], 60)];
  const cases: Observation[][] = [
    rising,
    // The user's own run (not in the pool) did best: lr 0.05, between c2 and c3.
    [...rising, { config: { model: "b", hyperparameters: { lr: 0.05, batch_size: 64 } }, value: 90 }],
  ];
  for (const trials of cases) {
    const l = learner(improvement);
    const belief = l.belief(trials);
    assert.ok(belief.pastLeads && belief.weights[0].id === "likes-large-lr", JSON.stringify(belief.weights));
    const toldIds = new Set(trials.map((t) => t.candidateId));
    const score = (i: number) =>
      belief.weights.reduce((a, w) => {
        const e = [zeroShot, ...experts].find((x) => x.id === w.id)!;
        const bar = Math.max(...trials.map((t) => placed(e, t)));
        return a + w.weight * (Math.max(0, pct(e)[i] - bar) + pct(e)[i]);
      }, 0);
    const open = pool.map((_, i) => i).filter((i) => !toldIds.has(pool[i].id));
    const expected = open.reduce((a, i) => (score(i) > score(a) + 1e-12 ? i : a));
    const [next] = l.ask(trials, 1).suggestions;
    assert.equal(next.candidate.id, pool[expected].id, `told ${trials.map((t) => t.candidateId ?? "own").join(",")}`);
    assert.ok(Math.abs(next.score - score(expected)) < 1e-9, `${next.score} vs ${score(expected)}`);
  }
});

test("beforeLead blend: while the zero-shot model leads, the improvement acquisition asks what the blend asks", () => {
  const cases: Observation[][] = [[], [told(pool[0], 60)], [told(pool[0], 70), told(pool[2], 60), told(pool[4], 40)]];
  for (const trials of cases) {
    const improve = learner({ acquisition: "improvement", beforeLead: "blend" });
    assert.equal(improve.belief(trials).pastLeads, false);
    assert.deepEqual(
      improve.ask(trials, 3).suggestions.map((s) => s.candidate.id),
      learner({ acquisition: "blend" }).ask(trials, 3).suggestions.map((s) => s.candidate.id),
    );
  }
});

test("failures still rule out configurations under the improvement acquisition", () => {
  const trials = [told(pool[5], 10), told(pool[4], 20), told(pool[0], 30), told(pool[2], 60), told(cand("x", "a", 1e-2, 8), null, "diverged")];
  const l = learner({ acquisition: "improvement" });
  assert.ok(l.belief(trials).pastLeads);
  // Left: c1 and c3; the diverged run rules out c3 (model a, lr 0.1 >= 0.01), which the large-lr expert likes best.
  assert.deepEqual(l.ask(trials, pool.length).suggestions.map((s) => s.candidate.id), ["c1"]);
});

test("several at once under the improvement acquisition are diverse too, not the leader's near-copies", () => {
  // Two more candidates: c6 a near-copy of c3 (model a, lr 0.1), c7 another model at a large learning rate.
  const wider = [...pool, cand("c6", "a", 0.105, 128), cand("c7", "b", 0.05, 64)];
  const l = new StudyLearner({ pool: wider, zeroShot, experts, geometry: new ConfigGeometry(encoder, wider) }, { ...DEFAULT_LEARN, acquisition: "improvement" });
  const trials = [told(pool[5], 10), told(pool[4], 20), told(pool[0], 30), told(pool[2], 60)];
  assert.ok(l.belief(trials).pastLeads);
  // The large-lr expert leads: c6 (lr 0.105) first. On score alone c3 (lr 0.1) would come second, well above c7 and
  // c1; as a near-copy of c6 it must fall behind both, as it would under the blend's scores (penalty on the
  // improvement scores' scale, which reach 1 + k).
  const alone = l.ask(trials, 1).suggestions[0];
  assert.equal(alone.candidate.id, "c6");
  const three = l.ask(trials, 3).suggestions.map((s) => s.candidate.id);
  assert.deepEqual(three, ["c6", "c7", "c1"]);
});

test("an ask scores the pool once per expert, and a configuration told from outside the pool once more, whatever it is used for", () => {
  // Counting experts: how many configurations each is asked to score, and in which calls.
  const calls = new Map<string, number[]>();
  const counting = (e: Expert): Expert => ({ id: e.id, score: (cs) => (calls.set(e.id, [...(calls.get(e.id) ?? []), cs.length]), e.score(cs)) });
  const l = new StudyLearner({ pool, zeroShot: counting(zeroShot), experts: experts.map(counting), geometry: new ConfigGeometry(encoder, pool) }, DEFAULT_LEARN);
  const own: Observation = { config: { model: "a", hyperparameters: { lr: 0.05, batch_size: 64 } }, value: 90 };
  // Large learning rates did better, so a past dataset leads and the improvement acquisition places the told results.
  const trials = [told(pool[0], 50), told(pool[2], 60), told(pool[3], 80), own];
  assert.ok(l.belief(trials).pastLeads);
  l.ask(trials, 1);
  l.ask(trials, 2);
  // One call with the whole pool and one with the configuration from outside it, in whichever order.
  for (const e of experts) assert.deepEqual([...(calls.get(e.id) ?? [])].sort((a, b) => a - b), [1, pool.length], `${e.id}: ${calls.get(e.id)}`);
});

test("beforeLead zero-shot: while the zero-shot model leads, the next suggestion is the next of its own order, where the blend departs from it", () => {
  // Told c0 > c2 > c1 (the zero-shot order of the three but c1): the zero-shot model still leads, the small-lr expert
  // has gained, and the blend asks for c4 (lr 1e-4), not the zero-shot model's next candidate c3.
  const trials = [told(pool[0], 50), told(pool[1], 40), told(pool[2], 45)];
  assert.equal(learner().belief(trials).pastLeads, false);
  assert.equal(learner({ beforeLead: "blend", local: 0 }).ask(trials, 1).suggestions[0].candidate.id, "c4");
  assert.equal(learner({ beforeLead: "zero-shot", local: 0 }).ask(trials, 1).suggestions[0].candidate.id, "c3");
  // The belief the answer reports says so: the re-weighted ranking counts for nothing until a past dataset leads.
  assert.equal(learner({ beforeLead: "zero-shot" }).belief(trials).trust, 0);
  assert.ok(learner({ beforeLead: "blend" }).belief(trials).trust > 0);
  const leading = [told(pool[0], 60), told(pool[2], 70)];
  assert.ok(learner({ beforeLead: "zero-shot" }).belief(leading).trust > 0);
});

test("leadMargin: a past dataset leads only once its weight exceeds that many times the zero-shot model's", () => {
  // The zero-shot model orders this pair wrongly and the large-lr expert rightly.
  const trials = [told(pool[0], 60), told(pool[2], 70)];
  const b = learner().belief(trials);
  assert.ok(b.pastLeads);
  const ratio = b.weights[0].weight / b.weights.find((w) => w.id === ZERO_SHOT)!.weight;
  assert.ok(ratio > 1, String(ratio));
  assert.equal(learner({ leadMargin: ratio * 0.99 }).belief(trials).pastLeads, true);
  assert.equal(learner({ leadMargin: ratio * 1.01 }).belief(trials).pastLeads, false);
});

test("leadAfterShortfall: a past dataset that orders the results better leads only once a result fell short of its prediction or failed", () => {
  // The large-lr expert orders this pair rightly, the zero-shot model wrongly (c0 before c2): it outweighs it.
  const trials = [told(pool[0], 60), told(pool[2], 70)];
  const withPredictions = (metric: number[], settings: Partial<LearnSettings> = {}) =>
    new StudyLearner({ pool, zeroShot, experts, geometry: new ConfigGeometry(encoder, pool), predicted: Float64Array.from(metric) }, { ...DEFAULT_LEARN, ...settings });
  const asExpected = withPredictions([55, 55, 65, 50, 50, 50]);
  const b = asExpected.belief(trials);
  assert.equal(b.weights[0].id, "likes-large-lr");
  assert.equal(b.shortfall, -1);
  assert.ok(b.pastAhead);
  assert.equal(b.pastLeads, false);
  // Both results at or above their predictions: the zero-shot order goes on (c1 is its next).
  assert.equal(asExpected.ask(trials, 1).suggestions[0].candidate.id, "c1");
  // c2 came out below its prediction of 75: the past dataset takes the lead and sends the study to the largest rate.
  const short = withPredictions([55, 55, 75, 50, 50, 50]);
  assert.equal(short.belief(trials).shortfall, 1);
  assert.ok(short.belief(trials).pastLeads);
  assert.equal(short.ask(trials, 1).suggestions[0].candidate.id, "c3");
  // A failure falls short of any prediction, and so does a run from outside the pool (it has none).
  assert.ok(asExpected.belief([...trials, told(cand("x", "b", 1e-4, 16), null, "other")]).pastLeads);
  assert.equal(asExpected.belief([...trials, { config: { model: "b", hyperparameters: { lr: 0.05, batch_size: 64 } }, value: 90 }]).shortfall, 2);
  // Off, under the blend acquisition, or without predictions, the weights alone decide.
  assert.ok(withPredictions([55, 55, 65, 50, 50, 50], { leadAfterShortfall: false }).belief(trials).pastLeads);
  assert.ok(withPredictions([55, 55, 65, 50, 50, 50], { acquisition: "blend" }).belief(trials).pastLeads);
  assert.ok(learner().belief(trials).pastLeads);
});

test("predictions are oriented as told values: for a metric to minimise, a higher loss than predicted falls short", () => {
  const loss = orientedPredictions([{ metric: 0.3 }, { metric: 0.5 }], "min");
  assert.deepEqual([...loss], [-0.3, -0.5]);
  assert.deepEqual([...orientedPredictions([{ metric: 71 }], "max")], [71]);
});

test("running configurations are not suggested again, and asking one at a time while they run gives one ask's batch", () => {
  const l = learner();
  const batch = l.ask([], 3).suggestions.map((s) => s.candidate.id);
  const running: string[] = [];
  for (let k = 0; k < 3; k++) running.push(l.ask([], 1, running).suggestions[0].candidate.id);
  assert.deepEqual(running, batch);
  // After a result, those still running stay out.
  const next = l.ask([told(pool[0], 70)], 3, ["c2", "c4"]).suggestions.map((s) => s.candidate.id);
  assert.ok(!next.some((id) => ["c0", "c2", "c4"].includes(id)), next.join(","));
  // Nothing running: as before.
  assert.deepEqual(l.ask([], 1, []).suggestions[0].candidate.id, "c0");
});
