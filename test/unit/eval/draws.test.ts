import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { drawSeeds, summariseDraws, summariseStudyDraws } from "../../../src/eval/draws.ts";
import type { StudyDatasetResult, StudyEvaluation } from "../../../src/eval/study-eval.ts";
import { STUDY_REPORT_FILES, writeStudyReport } from "../../../src/eval/study-report.ts";
import type { RankedDatasetResult } from "../../../src/eval/types.ts";
import { DEFAULT_LEARN } from "../../../src/study/learn.ts";
import { tempDir } from "../metadata/fixtures.ts";

/** A held-out dataset's result with only the figures the draws summary reads set meaningfully. */
const result = (datasetId: string, top1: number, top3 = Math.max(top1, 0.9), top5 = Math.max(top3, 0.95)): RankedDatasetResult => ({
  datasetId,
  nCandidates: 10,
  rankedRunIds: ["a"],
  top1,
  top3,
  top5,
  regret: (1 - top1) / 2,
  catastrophic: (1 - top1) / 2 > 0.3,
  cost: { pickRunId: "a", pickSeconds: 1, bestRunId: "a", bestSeconds: 1, speedup: 1, accuracyGivenUp: 0 },
  randomSearchN: 1,
  pickOutcome: 1,
});

test("draws use first seeds a fixed step apart", () => {
  assert.deepEqual(drawSeeds(3, 7), [7, 107, 207]);
  assert.deepEqual(drawSeeds(1, 0), [0]);
});

test("the summary over draws is the mean of each dataset's mean over draws, with the draws' own figures beside it", () => {
  // Dataset x flips between a good and a catastrophic pick; y is stable.
  const draws = [
    [result("x", 1), result("y", 0.8)],
    [result("x", 0.2), result("y", 0.8)],
    [result("x", 0.9), result("y", 0.6)],
  ];
  const s = summariseDraws([0, 100, 200], draws);
  const perDraw = [0.9, 0.5, 0.75];
  s.perDraw.forEach((d, j) => assert.ok(Math.abs(d.top1 - perDraw[j]) < 1e-12, `draw ${j}: ${d.top1}`));
  assert.deepEqual(s.perDraw.map((d) => d.catastrophic), [0, 1, 0]);
  // x: (1 + 0.2 + 0.9) / 3 = 0.7, y: (0.8 + 0.8 + 0.6) / 3 = 0.7333.
  assert.ok(Math.abs(s.top1.mean - (0.7 + 2.2 / 3) / 2) < 1e-12, String(s.top1.mean));
  assert.ok(s.top1.interval[0] <= s.top1.mean && s.top1.mean <= s.top1.interval[1]);
  assert.ok(Math.abs(s.catastrophic - 1 / 3) < 1e-12);
  assert.deepEqual(s.catastrophicSomewhere, ["x"]);
  assert.deepEqual(s.firstSeeds, [0, 100, 200]);
});

test("each draw counts the picks whose real outcome fell inside the stated range", () => {
  const judged = (r: RankedDatasetResult, covered: boolean): RankedDatasetResult => ({ ...r, prediction: { metric: 1, interval: [0, 2], stated: true, covered } });
  const s = summariseDraws([0, 100], [
    [judged(result("x", 1), true), judged(result("y", 1), false)],
    [judged(result("x", 1), true), judged(result("y", 1), true)],
  ]);
  assert.deepEqual(s.perDraw.map((d) => d.coverage), [{ covered: 1, of: 2 }, { covered: 2, of: 2 }]);
  assert.equal(summariseDraws([0], [[result("x", 1)]]).perDraw[0].coverage, null);
});

test("draws over different datasets are refused", () => {
  assert.throws(() => summariseDraws([0, 100], [[result("x", 1)], [result("y", 1)]]), /different datasets/);
  assert.throws(() => summariseDraws([0], [[result("x", 1)], [result("x", 1)]]), /one result per draw/);
});

test("study draws: per method the curve of each dataset's mean over draws, and each draw's own curve, shown in the report", async () => {
  const ds = (id: string, hporec: number[], zeroShot?: number[]): StudyDatasetResult => ({ datasetId: id, nCandidates: 9, trajectory: [], bestSoFar: { hporec, ...(zeroShot ? { "zero-shot": zeroShot } : {}) } });
  // The second draw has no zero-shot curve for y: only the method every draw ran is summarised.
  const draws = [
    [ds("x", [0.2, 0.8], [0.2, 0.7]), ds("y", [0.6, 1], [0.6, 0.9])],
    [ds("x", [0.4, 1], [0.4, 0.9]), ds("y", [0.8, 1])],
  ];
  const s = summariseStudyDraws([0, 100], [1, 5], draws);
  assert.deepEqual(s.curves.map((c) => c.method), ["hporec"]);
  const [n1, n5] = s.curves[0].curve;
  // x: (0.2 + 0.4) / 2 = 0.3, y: 0.7 -> 0.5; after 5: x 0.9, y 1 -> 0.95.
  assert.ok(Math.abs(n1.mean - 0.5) < 1e-12 && Math.abs(n5.mean - 0.95) < 1e-12, `${n1.mean} ${n5.mean}`);
  const perDraw = s.perDraw.map((d) => d.curves.hporec!.map((v) => Math.round(v * 1e9) / 1e9));
  assert.deepEqual(perDraw, [[0.4, 0.9], [0.6, 1]]);

  const r: StudyEvaluation = { version: 1, kind: "study", mode: "leave-one-dataset-out", train: "fixture", objective: "accuracy", trials: [1, 5], learn: DEFAULT_LEARN, experts: "both", datasets: draws[0], aggregate: [], draws: s };
  const dir = tempDir("hporec-study-draws-");
  await writeStudyReport(dir, r);
  const md = readFileSync(path.join(dir, STUDY_REPORT_FILES.markdown), "utf8");
  assert.match(md, /Over 2 seed draws/);
  assert.match(md, /\| hporec \| 0\.500 \[[\d.]+, [\d.]+\] \| 0\.950 /);
  assert.match(md, /\| hporec, draw 100 \| 0\.600 \| 1\.000 \|/);
});
