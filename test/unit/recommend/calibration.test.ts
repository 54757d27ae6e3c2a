import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calibrationFrom, residualBounds, statedInterval } from "../../../src/recommend/calibration.ts";
import { createRng } from "../../../src/util/random.ts";

describe("conformal residual bounds", () => {
  it("take the k-th smallest and k'-th smallest residual with k = floor((n+1)(1-l)/2), k' = ceil((n+1)(1+l)/2)", () => {
    const r = Array.from({ length: 19 }, (_, i) => 19 - i); // 19..1, unsorted on purpose
    // n = 19, level 0.8: k = floor(20 * 0.1) = 2, k' = ceil(20 * 0.9) = 18.
    assert.deepEqual(residualBounds(r, 0.8), [2, 18]);
    // Few residuals: the bounds are the extremes.
    assert.deepEqual(residualBounds([3, -1, 2], 0.8), [-1, 3]);
  });

  it("cover a new exchangeable residual at least at the stated level (simulation, 2,000 trials)", () => {
    const rng = createRng(7);
    // Skewed residuals, like picks that are usually close and sometimes far off.
    const draw = () => (rng.next() < 0.8 ? rng.normal() * 3 : -30 * rng.next());
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const [lo, hi] = residualBounds(Array.from({ length: 22 }, draw), 0.8);
      const x = draw();
      if (x >= lo && x <= hi) covered++;
    }
    const rate = covered / trials;
    assert.ok(rate >= 0.78 && rate <= 0.9, `coverage ${rate}`);
  });
});

describe("calibration of picks", () => {
  it("summarises held-out picks and states ranges around a prediction", () => {
    const picks = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => ({ predicted: 80, outcome: 70 + 2 * k, regret: k < 7 ? 0.1 : 0.5, score: k / 10 }));
    const c = calibrationFrom(picks)!;
    assert.equal(c.datasets, 10);
    assert.equal(c.acceptable, 7);
    assert.ok(Math.abs(c.meanScore - 0.45) < 1e-12);
    // Residuals -10..8: n = 10, k = floor(1.1 / 2 * ...) -> the smallest, k' = ceil(11 * 0.9) = 10 -> the largest.
    assert.deepEqual([c.low, c.high], [-10, 8]);
    assert.deepEqual(statedInterval(50, c), [40, 58]);
    assert.deepEqual(statedInterval(95, c, 0, 100), [85, 100]);
    assert.equal(calibrationFrom(picks.slice(0, 2)), undefined, "too few picks to calibrate");
  });
});
