import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { STUDY_REPORT_FILES, writeStudyReport } from "../../../src/eval/study-report.ts";
import type { StudyEvaluation } from "../../../src/eval/study-eval.ts";
import { DEFAULT_LEARN } from "../../../src/study/learn.ts";
import { tempDir } from "../metadata/fixtures.ts";

test("the ask/tell report holds the curve plot, a table per method and the trajectories", async () => {
  const curve = (a: number, b: number) => [{ n: 1, mean: a, interval: [a - 0.1, a + 0.1] as [number, number] }, { n: 5, mean: b, interval: [b - 0.05, b + 0.05] as [number, number] }];
  const r: StudyEvaluation = {
    version: 1,
    kind: "study",
    mode: "leave-one-dataset-out",
    train: "fixture",
    objective: "accuracy",
    trials: [1, 5],
    learn: DEFAULT_LEARN,
    experts: "both",
    datasets: [{ datasetId: "d0", nCandidates: 9, trajectory: ["r1", "r4", "r2", "r8", "r0"], bestSoFar: { hporec: [0.5, 0.9] } }],
    aggregate: [{ method: "hporec", curve: curve(0.5, 0.9) }, { method: "random-search", curve: curve(0.1, 0.6) }],
    skipped: "left out (--no-tpe)",
  };
  const dir = tempDir("hporec-study-report-");
  await writeStudyReport(dir, r);
  const md = readFileSync(path.join(dir, STUDY_REPORT_FILES.markdown), "utf8");
  assert.match(md, /\| hporec \| 0\.500 \[0\.40, 0\.60\] \| 0\.900 \[0\.85, 0\.95\] \|/);
  assert.match(md, /\| random-search \| 0\.100/);
  assert.match(md, /Optuna TPE: left out/);
  assert.match(readFileSync(path.join(dir, STUDY_REPORT_FILES.curve), "utf8"), /^<svg[\s\S]*random-search[\s\S]*<\/svg>$/);
  assert.deepEqual(JSON.parse(readFileSync(path.join(dir, STUDY_REPORT_FILES.json), "utf8")).datasets[0].trajectory, ["r1", "r4", "r2", "r8", "r0"]);
});
