import { test } from "node:test";
import assert from "node:assert/strict";
import { FeatureEncoder, type Configuration, type FeatureMap } from "../../../src/learner/features.ts";
import type { Candidate } from "../../../src/recommend/candidates.ts";
import { ConfigGeometry } from "../../../src/study/geometry.ts";
import { StudyLearner, ZERO_SHOT, type Expert, type Observation } from "../../../src/study/learn.ts";

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

function learner() {
  return new StudyLearner({ pool, zeroShot, experts: [byLr("likes-large-lr", 1), byLr("likes-small-lr", -1)], geometry: new ConfigGeometry(encoder, pool) });
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
