import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rank, rankByObjective } from "../../../src/recommend/ranking.ts";
import * as fixtures from "./stage-fixtures.ts";
import type { Scored } from "../../../src/recommend/scoring.ts";

const scored = (id: string, risk: number, order: number): Scored => ({
  candidate: { id, model: "m", hyperparameters: {}, origin: "sample" },
  mean: risk,
  spread: 0,
  prior: 0,
  risk,
  order,
  seconds: 10,
  metric: NaN,
  interval: [NaN, NaN],
});

it("accuracy: the best risk-adjusted prediction first, then the ranking head's order", () => {
  const pool = [scored("a", 0.7, 5), scored("b", 0.9, 1), scored("c", 0.8, 3), scored("d", 0.6, 4)];
  assert.deepEqual(rankByObjective(pool, "accuracy").map((s) => s.candidate.id), ["b", "a", "d", "c"]);
  // Without a head, order = risk: plain ranking by risk.
  const plain = pool.map((s) => ({ ...s, order: s.risk }));
  assert.deepEqual(rankByObjective(plain, "accuracy").map((s) => s.candidate.id), ["b", "c", "a", "d"]);
  assert.deepEqual(rankByObjective([], "accuracy"), []);
});

describe("rank: the budget's pool, by objective", () => {
  const { scored: make } = fixtures;
  const all = [make("fast", { risk: 0.6, metric: 82, seconds: 30 }), make("best", { risk: 0.9, metric: 85, seconds: 500 }), make("slow", { risk: 0.7, metric: 80, seconds: 9000 })];

  it("ranks only what the budget leaves, counts what was scored, keeps the neighbours", () => {
    const neighbours = [{ summary: fixtures.summary("A"), similarity: 0.5 }];
    const r = rank({ dataset: fixtures.dataset, constraints: { budgetSeconds: 600 } }, all, neighbours, { hasCost: true });
    assert.deepEqual(r.ranked.map((s) => s.candidate.id), ["best", "fast"]);
    assert.deepEqual(r.pool.map((s) => s.candidate.id), ["fast", "best"]);
    assert.equal(r.scoredCount, 3);
    assert.equal(r.neighbours, neighbours);
    assert.deepEqual(r.warnings, []);
  });

  it("orders by the request's objective (accuracy by default)", () => {
    assert.equal(rank({ dataset: fixtures.dataset }, all, [], { hasCost: true }).ranked[0].candidate.id, "best");
    assert.equal(rank({ dataset: fixtures.dataset, objective: "cost" }, all, [], { hasCost: true }).ranked[0].candidate.id, "fast");
  });

  it("the extrapolation warnings come first, then the budget's, then the notes; the features outside are listed apart; the caller's list is not changed", () => {
    const outside = [{ feature: "n_samples", warning: "extrapolation: samples" }];
    const r = rank({ dataset: fixtures.dataset, constraints: { budgetSeconds: 1 } }, all, [], { hasCost: true, outside, notes: ["note"] });
    assert.equal(r.warnings[0], "extrapolation: samples");
    assert.match(r.warnings[1], /no candidate is predicted to train within the budget/);
    assert.equal(r.warnings.at(-1), "note");
    assert.deepEqual(r.extrapolation, ["n_samples"]);
    assert.deepEqual(outside, [{ feature: "n_samples", warning: "extrapolation: samples" }]);
    const inside = rank({ dataset: fixtures.dataset, constraints: { budgetSeconds: 1 } }, all, [], { hasCost: true });
    assert.deepEqual(inside.extrapolation, []);
    assert.equal(inside.warnings.length, 1);
  });
});
