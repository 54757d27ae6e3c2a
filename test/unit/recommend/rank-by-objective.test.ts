import assert from "node:assert/strict";
import { it } from "node:test";
import { rankByObjective } from "../../../src/recommend/ranking.ts";
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
