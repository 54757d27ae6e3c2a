import assert from "node:assert/strict";
import { test } from "node:test";
import { bootstrapMeanInterval } from "../../../src/util/stats.ts";
import { createRng } from "../../../src/util/random.ts";

test("bootstrap interval of a mean: the value itself for constant data, seeded, and narrower with more data", () => {
  for (const v of bootstrapMeanInterval([0.7, 0.7, 0.7])) assert.ok(Math.abs(v - 0.7) < 1e-12);
  assert.deepEqual(bootstrapMeanInterval([5]), [5, 5]);
  const rng = createRng(3);
  const small = Array.from({ length: 10 }, () => rng.normal());
  const large = Array.from({ length: 400 }, () => rng.normal());
  const a = bootstrapMeanInterval(small);
  assert.deepEqual(bootstrapMeanInterval(small), a, "same seed, same interval");
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(a[0] < mean(small) && mean(small) < a[1]);
  const b = bootstrapMeanInterval(large);
  assert.ok(b[1] - b[0] < (a[1] - a[0]) / 3, `${b} vs ${a}`);
});

test("a 90% bootstrap interval covers the true mean about 90% of the time (normal data, n = 30, 300 samples)", () => {
  const rng = createRng(11);
  let covered = 0;
  for (let t = 0; t < 300; t++) {
    const xs = Array.from({ length: 30 }, () => 2 + rng.normal());
    const [lo, hi] = bootstrapMeanInterval(xs, 0.9, 500, t);
    if (lo <= 2 && 2 <= hi) covered++;
  }
  // The percentile bootstrap is a little narrow for n = 30 (about 88%); a broken one is far off.
  assert.ok(covered / 300 > 0.82 && covered / 300 < 0.96, `coverage ${covered / 300}`);
});
