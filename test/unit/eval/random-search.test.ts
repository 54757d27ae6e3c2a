import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bestOfNProbabilities,
  evaluationsToMatch,
  expectedRandomSearch,
  randomSearchCurve,
} from "../../../src/eval/random-search.ts";
import { createRng } from "../../../src/util/random.ts";

// Scores computed here from the definitions, independently of metrics.ts.
function defs(ys: number[]) {
  const s = [...ys].sort((a, b) => a - b);
  const max = s[s.length - 1];
  const min = s[0];
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  const regret = (y: number) => (max === min ? 0 : (max - y) / (max - min));
  const score = (y: number) => (y >= max ? 1 : max === mid ? -regret(y) : (y - mid) / (max - mid));
  return { regret, score };
}

function* subsets(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) return yield acc;
  for (let i = start; i <= n - (k - acc.length); i++) yield* subsets(n, k, i + 1, [...acc, i]);
}

test("expectation matches brute force over all C(n, N) subsets (n ≤ 10, with ties)", () => {
  const rng = createRng(7);
  for (const n of [1, 2, 5, 8, 10]) {
    const ys = Array.from({ length: n }, () => Math.round(rng.next() * 6)); // few distinct values: ties
    const { score, regret } = defs(ys);
    for (let N = 1; N <= n; N++) {
      let sum = { score: 0, regret: 0, catastrophic: 0 };
      let count = 0;
      for (const sub of subsets(n, N)) {
        const best = Math.max(...sub.map((i) => ys[i]));
        sum = { score: sum.score + score(best), regret: sum.regret + regret(best), catastrophic: sum.catastrophic + (regret(best) > 0.3 ? 1 : 0) };
        count++;
      }
      const e = expectedRandomSearch(ys, N);
      assert.ok(Math.abs(e.score - sum.score / count) < 1e-12, `n=${n} N=${N} score ${e.score} vs ${sum.score / count}`);
      assert.ok(Math.abs(e.regret - sum.regret / count) < 1e-12, `n=${n} N=${N} regret`);
      assert.ok(Math.abs(e.catastrophic - sum.catastrophic / count) < 1e-12, `n=${n} N=${N} catastrophic`);
    }
  }
});

test("probabilities are a distribution for n = 200 and beyond, without overflow", () => {
  for (const [n, N] of [[200, 1], [200, 10], [200, 100], [200, 200], [5000, 2500]]) {
    const p = bestOfNProbabilities(n, N);
    const sum = p.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `n=${n} N=${N} sums to ${sum}`);
    assert.ok(p.every((x) => Number.isFinite(x) && x >= 0));
    for (let i = 0; i < N - 1; i++) assert.equal(p[i], 0, "the best of N is at least the N-th smallest");
  }
  assert.deepEqual([...bestOfNProbabilities(3, 10)], [0, 0, 1], "N > n evaluates everything");
  assert.throws(() => bestOfNProbabilities(3, 0));
});

test("expectation matches Monte Carlo for n = 200 (sampling without replacement)", () => {
  const rng = createRng(11);
  const ys = Array.from({ length: 200 }, () => 100 * rng.next() ** 3); // skewed: most runs bad, as in Quick-Tune
  const { score, regret } = defs(ys);
  for (const N of [1, 5, 20]) {
    const draws = 20000;
    let s = 0;
    let r = 0;
    const idx = ys.map((_, i) => i);
    for (let t = 0; t < draws; t++) {
      let best = -Infinity;
      for (let k = 0; k < N; k++) {
        const j = k + rng.int(idx.length - k); // partial Fisher-Yates: N distinct indices
        [idx[k], idx[j]] = [idx[j], idx[k]];
        best = Math.max(best, ys[idx[k]]);
      }
      s += score(best);
      r += regret(best);
    }
    const e = expectedRandomSearch(ys, N);
    assert.ok(Math.abs(e.score - s / draws) < 0.03, `N=${N} score ${e.score} vs MC ${s / draws}`);
    assert.ok(Math.abs(e.regret - r / draws) < 0.01, `N=${N} regret ${e.regret} vs MC ${r / draws}`);
  }
});

test("evaluations needed to match a score: smallest N, Infinity beyond 1", () => {
  const rng = createRng(3);
  const ys = Array.from({ length: 60 }, () => rng.next());
  const curve = Array.from({ length: 60 }, (_, k) => expectedRandomSearch(ys, k + 1).score);
  for (const target of [-2, 0, 0.3, 0.8, 0.95, 1]) {
    const linear = curve.findIndex((s) => s >= target - 1e-9) + 1;
    assert.equal(evaluationsToMatch(ys, target), linear, `target ${target}`);
  }
  assert.equal(evaluationsToMatch(ys, 1), 60, "only evaluating every run surely finds the best");
  assert.equal(evaluationsToMatch(ys, 1.01), Infinity);
});

test("curve is the mean over datasets, N clamped to each dataset's size", () => {
  const a = [1, 2, 3];
  const b = [5, 1, 4, 2, 3];
  const c = randomSearchCurve([a, b], 4);
  assert.equal(c.length, 4);
  assert.equal(c[3].evaluations, 4);
  assert.ok(Math.abs(c[3].score - (1 + expectedRandomSearch(b, 4).score) / 2) < 1e-12);
  assert.ok(c.every((p, i) => i === 0 || p.score >= c[i - 1].score));
});
