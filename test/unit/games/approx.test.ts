import { test } from "node:test";
import assert from "node:assert/strict";
import { explain, explainTable, functionGame, permutationSampling, tabulate } from "../../../src/explain/games/index.ts";
import { createRng } from "../../../src/util/random.ts";

/** A 16-player game with main effects, pairwise and three-way terms and a little noise: like a surrogate. */
function structuredGame(n: number, seed: number) {
  const rng = createRng(seed);
  const terms: { mask: number; w: number }[] = [];
  for (let i = 0; i < n; i++) terms.push({ mask: 1 << i, w: rng.normal() });
  for (let k = 0; k < 25; k++) terms.push({ mask: (1 << rng.int(n)) | (1 << rng.int(n)), w: rng.normal() });
  for (let k = 0; k < 10; k++) terms.push({ mask: (1 << rng.int(n)) | (1 << rng.int(n)) | (1 << rng.int(n)), w: rng.normal() / 2 });
  const noise = Float64Array.from({ length: 1 << n }, () => rng.normal() * 0.05);
  const names = Array.from({ length: n }, (_, i) => `h${i}`);
  return functionGame(names, (S) => terms.reduce((a, t) => a + ((S & t.mask) === t.mask ? t.w : 0), noise[S]));
}

test("permutation sampling on 16 players: within the reported error, exactly efficient, budget respected", () => {
  const n = 16;
  const game = structuredGame(n, 7);
  const exact = explainTable(game.players, tabulate(game));
  const budget = 20_000;
  const est = permutationSampling(game, { budget, seed: 1, interactions: true });
  assert.ok(est.evaluations <= budget, `${est.evaluations} evaluations`);
  assert.ok(est.samples > 100);
  assert.ok(Math.abs(est.shapley.reduce((a, b) => a + b, 0) - (est.full - est.empty)) < 1e-9, "efficiency");
  for (let i = 0; i < n; i++) {
    const err = Math.abs(est.shapley[i] - exact.shapley[i]);
    assert.ok(est.shapleyStdErr[i] > 0 && err <= 4 * est.shapleyStdErr[i], `player ${i}: error ${err}, se ${est.shapleyStdErr[i]}`);
  }
  let within = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      pairs++;
      const err = Math.abs(est.interactions![i * n + j] - exact.interactions![i * n + j]);
      if (err <= 4 * est.interactionStdErr![i * n + j]) within++;
    }
  }
  assert.ok(within >= pairs - 2, `${within}/${pairs} interactions within 4 standard errors`);
});

test("explain switches to sampling above 14 players and reports budget and errors", () => {
  const game = structuredGame(18, 2);
  const e = explain(game, { budget: 4000, seed: 3, interactions: false });
  assert.equal(e.method, "permutation");
  assert.ok(e.budget && e.budget.evaluations <= 4000 && e.budget.samples > 0);
  assert.equal(e.shapleyStdErr!.length, 18);
  assert.equal(e.interactions, undefined);
  assert.ok(Math.abs(e.shapley.reduce((a, b) => a + b, 0) - (e.full - e.empty)) < 1e-9);
});

test("sampling is reproducible from its seed and refuses a budget too small to estimate an error", () => {
  const game = structuredGame(8, 4);
  const a = permutationSampling(game, { budget: 500, seed: 9 });
  const b = permutationSampling(game, { budget: 500, seed: 9 });
  assert.deepEqual(a.shapley, b.shapley);
  assert.throws(() => permutationSampling(game, { budget: 10 }), RangeError);
});

test("on request, sampling also runs on a small game and agrees with the exact values", () => {
  const game = structuredGame(6, 8);
  const exact = explain(game);
  const est = explain(game, { method: "permutation", budget: 2000, seed: 5 });
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(est.shapley[i] - exact.shapley[i]) <= 4 * est.shapleyStdErr![i] + 1e-12);
});
