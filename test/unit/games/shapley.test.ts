import { test } from "node:test";
import assert from "node:assert/strict";
import { explain, explainTable, functionGame, tabulate, type Game } from "../../../src/explain/games/index.ts";
import { createRng } from "../../../src/util/random.ts";

const names = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);
const bits = (mask: number, n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => (mask >> i) & 1);

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9, what = "value"): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

function pairSum(m: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += m[i * n + j];
  return s;
}

// ---- Brute force, written from the definitions (independent of the fast transforms) ----

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

function bruteShapley(v: (mask: number) => number, n: number): number[] {
  const phi = new Array<number>(n).fill(0);
  const perms = permutations(n);
  for (const p of perms) {
    let S = 0;
    for (const i of p) {
      phi[i] += v(S | (1 << i)) - v(S);
      S |= 1 << i;
    }
  }
  return phi.map((x) => x / perms.length);
}

function factorial(k: number): number {
  return k <= 1 ? 1 : k * factorial(k - 1);
}

function bruteInteraction(v: (mask: number) => number, n: number, i: number, j: number): number {
  let total = 0;
  for (let S = 0; S < 1 << n; S++) {
    if ((S >> i) & 1 || (S >> j) & 1) continue;
    const s = bits(S, n).length;
    const w = (factorial(s) * factorial(n - s - 2)) / factorial(n - 1);
    const a = 1 << i;
    const b = 1 << j;
    total += w * (v(S | a | b) - v(S | a) - v(S | b) + v(S));
  }
  return total;
}

function bruteMoebius(v: (mask: number) => number, n: number, T: number): number {
  let total = 0;
  for (let S = 0; S < 1 << n; S++) {
    if ((S & T) !== S) continue;
    total += ((bits(T, n).length - bits(S, n).length) % 2 ? -1 : 1) * v(S);
  }
  return total;
}

// ---- Closed-form games ----

test("additive game: Shapley values are the weights, interactions vanish", () => {
  const w = [0.5, -1.25, 2, 0, 3.5];
  const game = functionGame(names(5), (S) => 7 + bits(S, 5).reduce((a, i) => a + w[i], 0));
  const e = explain(game);
  assert.equal(e.method, "exact");
  assertClose(e.shapley, w);
  assertClose(e.interactions!, new Float64Array(25));
  assertClose(e.mainEffects!, w);
});

test("pure pairwise game: Shapley_i = sum_j w_ij / 2, interaction_ij = w_ij", () => {
  const n = 5;
  const rng = createRng(3);
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) W[i * n + j] = W[j * n + i] = rng.normal();
  const game = functionGame(names(n), (S) => {
    let v = 0;
    for (const i of bits(S, n)) for (const j of bits(S, n)) if (i < j) v += W[i * n + j];
    return v;
  });
  const e = explain(game);
  const expected = Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += W[i * n + j] / 2;
    return s;
  });
  assertClose(e.shapley, expected);
  assertClose(e.interactions!, W);
  assertClose(e.mainEffects!, new Float64Array(n)); // everything is interaction
});

test("unanimity games u_T: Shapley 1/|T|, Moebius = indicator of T, interaction 1/(|T|-1)", () => {
  const n = 6;
  for (const T of [0b000011, 0b010101, 0b111110, 0b111111]) {
    const t = bits(T, n).length;
    const e = explain(functionGame(names(n), (S) => ((S & T) === T ? 1 : 0)));
    assertClose(e.shapley, Array.from({ length: n }, (_, i) => ((T >> i) & 1 ? 1 / t : 0)));
    assertClose(e.moebius!, Array.from({ length: 1 << n }, (_, S) => (S === T ? 1 : 0)));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const inT = (T >> i) & 1 && (T >> j) & 1;
        assert.ok(Math.abs(e.interactions![i * n + j] - (inT ? 1 / (t - 1) : 0)) < 1e-12, `T=${T.toString(2)} (${i},${j})`);
      }
    }
  }
});

test("glove game: one left glove and two right gloves -> 2/3, 1/6, 1/6", () => {
  const e = explain(functionGame(["left", "right1", "right2"], (S) => Math.min(S & 1, ((S >> 1) & 1) + ((S >> 2) & 1))));
  assertClose(e.shapley, [2 / 3, 1 / 6, 1 / 6], 1e-12);
});

// ---- Random games against brute force ----

test("random games (n = 2..6): Shapley, interactions and Moebius match brute force; efficiency holds", () => {
  const rng = createRng(11);
  for (let n = 2; n <= 6; n++) {
    for (let rep = 0; rep < 3; rep++) {
      const table = Float64Array.from({ length: 1 << n }, () => rng.normal() * 10);
      const v = (S: number) => table[S];
      const e = explainTable(names(n), table);
      assertClose(e.shapley, bruteShapley(v, n), 1e-9, `shapley n=${n}`);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const b = bruteInteraction(v, n, i, j);
          assert.ok(Math.abs(e.interactions![i * n + j] - b) < 1e-9, `I_${i}${j} n=${n}`);
          assert.equal(e.interactions![i * n + j], e.interactions![j * n + i]);
        }
      }
      assertClose(e.moebius!, Array.from({ length: 1 << n }, (_, T) => bruteMoebius(v, n, T)), 1e-9, `moebius n=${n}`);
      const total = table[(1 << n) - 1] - table[0];
      assert.ok(Math.abs(sum(e.shapley) - total) < 1e-9, "Shapley efficiency");
      assert.ok(Math.abs(sum(e.mainEffects!) + pairSum(e.interactions!, n) - total) < 1e-9, "2-SII efficiency");
      assert.ok(Math.abs(sum(e.moebius!) - table[(1 << n) - 1]) < 1e-9, "Moebius sums to v(N)");
    }
  }
});

test("efficiency to 1e-9 on a random 14-player game; the table is computed once", () => {
  const n = 14;
  const rng = createRng(5);
  const table = Float64Array.from({ length: 1 << n }, () => rng.next());
  let calls = 0;
  const game: Game = {
    players: names(n),
    evaluate: (members, k) => {
      calls++;
      const out = new Float64Array(k);
      for (let c = 0; c < k; c++) {
        let S = 0;
        for (let i = 0; i < n; i++) if (members[c * n + i]) S |= 1 << i;
        out[c] = table[S];
      }
      return out;
    },
  };
  const e = explain(game);
  assert.equal(e.method, "exact");
  assert.ok(Math.abs(sum(e.shapley) - (table[(1 << n) - 1] - table[0])) < 1e-9);
  assertClose(tabulate(game), table, 0);
  const before = calls;
  explain(game);
  assert.equal(calls, before, "second explanation reuses the cached table");
});
