import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { treeShap, treeShapInteractions } from "../../../src/explain/treeshap.ts";
import { predictTrees, type TreeModel } from "../../../src/learner/trees.ts";
import { trainBooster } from "../../../src/learner/xgboost.ts";
import { buildModel, randomRows, rng } from "../learner/tree-builder.ts";

/** v(S) = E[f(x) | x_S] along the trees: follow x on features in S, else average children by cover. */
function conditional(m: TreeModel, x: Float32Array, inS: (f: number) => boolean): number {
  const walk = (n: number): number => {
    if (m.left[n] < 0) return m.value[n];
    const f = m.feature[n];
    if (inS(f)) {
      const v = x[f];
      return walk(v !== v ? (m.defaultLeft[n] ? m.left[n] : m.right[n]) : v < m.threshold[n] ? m.left[n] : m.right[n]);
    }
    return (m.cover[m.left[n]] * walk(m.left[n]) + m.cover[m.right[n]] * walk(m.right[n])) / m.cover[n];
  };
  let s = m.baseScore;
  for (let t = 0; t < m.nTrees; t++) s += walk(m.treeStart[t]);
  return s;
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const popcount = (s: number): number => (s === 0 ? 0 : (s & 1) + popcount(s >>> 1));

/** Exact Shapley values and Shapley interaction indices of one row by enumerating all 2^M coalitions. */
function bruteForce(m: TreeModel, x: Float32Array): { phi: number[]; inter: number[][] } {
  const M = m.nFeatures;
  const v = Array.from({ length: 1 << M }, (_, S) => conditional(m, x, (f) => ((S >>> f) & 1) === 1));
  const phi = new Array(M + 1).fill(0);
  const inter = Array.from({ length: M + 1 }, () => new Array(M + 1).fill(0));
  for (let i = 0; i < M; i++) {
    for (let S = 0; S < 1 << M; S++) {
      if ((S >>> i) & 1) continue;
      const s = popcount(S);
      phi[i] += ((factorial(s) * factorial(M - s - 1)) / factorial(M)) * (v[S | (1 << i)] - v[S]);
      for (let j = 0; j < M; j++) {
        if (j === i || (S >>> j) & 1) continue;
        const w = (factorial(s) * factorial(M - s - 2)) / (2 * factorial(M - 1));
        inter[i][j] += w * (v[S | (1 << i) | (1 << j)] - v[S | (1 << i)] - v[S | (1 << j)] + v[S]);
      }
    }
  }
  phi[M] = v[0];
  for (let i = 0; i < M; i++) inter[i][i] = phi[i] - inter[i].reduce((a, b, j) => (j === i ? a : a + b), 0);
  inter[M][M] = v[0];
  return { phi, inter };
}

function assertBruteForce(m: TreeModel, rows: Float32Array, nRows: number, tol = 1e-9): number {
  const M = m.nFeatures;
  const w = M + 1;
  const shap = treeShap(m, rows, nRows).values;
  const inter = treeShapInteractions(m, rows, nRows);
  let worst = 0;
  for (let r = 0; r < nRows; r++) {
    const { phi, inter: I } = bruteForce(m, rows.subarray(r * M, (r + 1) * M));
    for (let i = 0; i <= M; i++) {
      worst = Math.max(worst, Math.abs(shap[r * w + i] - phi[i]));
      assert.ok(Math.abs(shap[r * w + i] - phi[i]) < tol, `row ${r} feature ${i}: ${shap[r * w + i]} vs ${phi[i]}`);
      for (let j = 0; j <= M; j++) {
        const got = inter[r * w * w + i * w + j];
        worst = Math.max(worst, Math.abs(got - I[i][j]));
        assert.ok(Math.abs(got - I[i][j]) < tol, `row ${r} interaction [${i}][${j}]: ${got} vs ${I[i][j]}`);
      }
    }
  }
  return worst;
}

/** Two trees over 4 features: feature 0 split twice on one path, missing sent both ways, uneven covers. */
const handMade = buildModel(
  [
    {
      feature: 0, threshold: 0.5, defaultLeft: true, cover: 100,
      left: {
        feature: 1, threshold: 0.3, cover: 70,
        left: { feature: 0, threshold: 0.2, cover: 20, left: { leaf: -1, cover: 5 }, right: { leaf: 0.5, cover: 15 } },
        right: { feature: 2, threshold: 0.6, defaultLeft: true, cover: 50, left: { leaf: 2, cover: 35 }, right: { leaf: -0.25, cover: 15 } },
      },
      right: { feature: 3, threshold: 0.4, cover: 30, left: { leaf: 1.5, cover: 10 }, right: { feature: 1, threshold: 0.8, cover: 20, left: { leaf: 3, cover: 12 }, right: { leaf: -2, cover: 8 } } },
    },
    { feature: 2, threshold: 0.5, cover: 100, left: { feature: 2, threshold: 0.1, cover: 55, left: { leaf: 0.7, cover: 5 }, right: { leaf: -0.3, cover: 50 } }, right: { leaf: 0.2, cover: 45 } },
  ],
  4,
  0.3,
);

describe("treeShap / treeShapInteractions against brute-force Shapley values", () => {
  it("hand-built trees (repeated features on a path, missing values)", (t) => {
    const rows = Float32Array.from([0.1, 0.2, 0.7, 0.5, 0.3, 0.9, 0.05, 0.1, 0.9, 0.1, 0.3, 0.5, NaN, 0.5, NaN, 0.2, 0.45, NaN, 0.55, NaN]);
    t.diagnostic(`max abs diff ${assertBruteForce(handMade, rows, 5).toExponential(2)}`);
  });

  it("a single leaf: everything is bias", () => {
    const leaf = buildModel([{ leaf: 2, cover: 10 }], 3, 0.5);
    assertBruteForce(leaf, Float32Array.of(0.1, 0.2, 0.3), 1);
    assert.equal(treeShap(leaf, Float32Array.of(0.1, 0.2, 0.3), 1).values[3], 2.5);
  });

  for (const M of [3, 4, 5]) {
    it(`trained models with ${M} features`, (t) => {
      const n = 150;
      const X = randomRows(n, M, 100 + M, 0.1);
      const noise = rng(M);
      const y = Array.from({ length: n }, (_, i) => (X[i * M] || 0) * ((X[i * M + 1] || 0) - 0.5) + Math.sin(4 * (X[i * M + 2] || 0)) + 0.1 * noise());
      const { model } = trainBooster(X, n, M, y, { n_estimators: 6, max_depth: 4, eta: 0.5, subsample: 1 });
      t.diagnostic(`max abs diff ${assertBruteForce(model, X, 12).toExponential(2)}`);
    });
  }
});

describe("treeShap properties", () => {
  it("is additive: rows sum to the margin (1e-9), and interaction rows sum to SHAP values", () => {
    const n = 200;
    const M = 8;
    const X = randomRows(n, M, 5, 0.2);
    const y = Array.from({ length: n }, (_, i) => ((X[i * M] || 0) + (X[i * M + 3] || 0) * (X[i * M + 5] || 0)) / 2);
    const { model } = trainBooster(X, n, M, y, { n_estimators: 40, max_depth: 6, objective: "reg:logistic" });
    const margin = predictTrees(model, X, n, { outputMargin: true });
    const w = M + 1;
    const shap = treeShap(model, X, n).values;
    const inter = treeShapInteractions(model, X, 20);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = 0; j < w; j++) s += shap[r * w + j];
      assert.ok(Math.abs(s - margin[r]) < 1e-9, `row ${r}: ${s} vs ${margin[r]}`);
    }
    for (let r = 0; r < 20; r++)
      for (let i = 0; i < w; i++) {
        let s = 0;
        for (let j = 0; j < w; j++) {
          s += inter[r * w * w + i * w + j];
          assert.ok(Math.abs(inter[r * w * w + i * w + j] - inter[r * w * w + j * w + i]) < 1e-9, "symmetric");
        }
        assert.ok(Math.abs(s - shap[r * w + i]) < 1e-9);
      }
  });
});
