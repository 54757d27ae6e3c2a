import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { EvaluationResult } from "../../../src/eval/types.ts";
import { StudyEvaluation } from "../../../src/eval/study-eval.ts";
import { datasetGroups } from "../../../src/eval/nested.ts";
import { dataDir } from "../../helpers/env.ts";

const dir = dataDir("quicktune-extended");

describe("inner folds", () => {
  it("split the training datasets into near-equal, disjoint groups covering them all, the same way for a seed", () => {
    const ids = Array.from({ length: 21 }, (_, i) => `d${i}`);
    const g = datasetGroups(ids, 5, 0);
    assert.equal(g.length, 5);
    assert.deepEqual(g.flat().sort(), [...ids].sort());
    for (const x of g) assert.ok(x.length === 4 || x.length === 5);
    assert.deepEqual(datasetGroups([...ids].reverse(), 5, 0), g, "order of the input does not matter");
    assert.notDeepEqual(datasetGroups(ids, 5, 1), g);
  });
});

describe("hporec eval --nested on a Quick-Tune slice (real CLI, inner folds in child processes)", { skip: !dir && "quicktune-extended data not available", timeout: 600_000 }, () => {
  it("chooses a grid setting per outer fold by inner cross-validation and states calibrated ranges", (t) => {
    const grid = ["rank+ranking-head", "acceptable"];
    const r = spawnSync(
      process.execPath,
      [
        "bin/hporec.js", "eval", "--train", dir!, "--datasets", "BCT,CRS", "--nested", "--grid", grid.join(","),
        "--inner-folds", "3", "--jobs", "2", "--seeds", "1", "--rounds", "30", "--no-tpe", "--json",
      ],
      { encoding: "utf8", env: { ...process.env, HPOREC_PROGRESS: "0", HPOREC_DATA: path.dirname(dir!) }, timeout: 590_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const { seconds, ...rest } = JSON.parse(r.stdout) as Record<string, unknown>;
    const res = EvaluationResult.parse(rest);
    t.diagnostic(`nested slice took ${seconds as number} s`);
    assert.ok(res.nested);
    assert.deepEqual(res.nested.grid.map((g) => g.name), grid);
    assert.equal(res.nested.innerFolds, 3);
    // One choice per outer fold, each made on the 21 training datasets of that fold.
    assert.equal(res.nested.choices.length, 2);
    for (const c of res.nested.choices) {
      assert.equal(c.trainingDatasets, 21);
      assert.ok(grid.includes(c.chosen));
      assert.deepEqual(c.inner.map((s) => s.setting), grid);
      const best = Math.max(...c.inner.map((s) => s.top1));
      assert.equal(c.inner.find((s) => s.setting === c.chosen)!.top1, best, "the chosen setting has the best inner top-1");
      for (const s of c.inner) assert.ok(Number.isFinite(s.top1) && s.catastrophic >= 0 && s.catastrophic <= 21);
    }
    // The reference on the same outer folds, and ranges calibrated on the chosen setting's inner picks.
    assert.ok(res.baselines.some((b) => b.name === "default recipe"));
    for (const d of res.hporec.datasets) {
      assert.ok(d.prediction, d.datasetId);
      assert.equal(d.prediction.stated, true);
      const [lo, hi] = d.prediction.interval!;
      assert.ok(lo <= d.prediction.metric && d.prediction.metric <= hi, `${lo} <= ${d.prediction.metric} <= ${hi}`);
      assert.equal(d.prediction.covered, lo <= d.pickOutcome && d.pickOutcome <= hi);
    }
    assert.equal(res.hporec.aggregate.coverage?.of, 2);
  });
});

describe("hporec eval --trials --nested on a Quick-Tune slice (real CLI)", { skip: !dir && "quicktune-extended data not available", timeout: 600_000 }, () => {
  it("starts each fold's study from the setting its inner cross-validation chose; the first ask is that setting's zero-shot pick", () => {
    const grid = ["rank+ranking-head", "acceptable"];
    const common = ["bin/hporec.js", "eval", "--train", dir!, "--datasets", "BCT", "--seeds", "1", "--rounds", "30", "--no-tpe", "--json"];
    let stderr = "";
    const run = (args: string[], progress = "0") => {
      const r = spawnSync(process.execPath, [...common, ...args], { encoding: "utf8", env: { ...process.env, HPOREC_PROGRESS: progress, HPOREC_DATA: path.dirname(dir!) }, timeout: 590_000 });
      assert.equal(r.status, 0, r.stderr);
      stderr = r.stderr;
      return JSON.parse(r.stdout);
    };
    // The study result as its schema describes it (what `hporec compare` reads back).
    const studied = StudyEvaluation.parse(run(["--trials", "1,3", "--nested", "--grid", grid.join(","), "--inner-folds", "3", "--jobs", "2"], "1"));
    // The progress bar, forced on, leaves stdout to the JSON and has an eta from the start (labels: unit test).
    assert.match(stderr, /study eval \[.*\] 1\/1 100%/);
    assert.doesNotMatch(stderr, /eta NF|eta INF/);
    assert.equal(studied.kind, "study");
    assert.ok(studied.nested);
    assert.equal(studied.nested.choices.length, 1);
    const [choice] = studied.nested.choices;
    assert.equal(choice.trainingDatasets, 21);
    assert.ok(grid.includes(choice.chosen));
    const best = Math.max(...choice.inner.map((s) => s.top1));
    assert.equal(choice.inner.find((s) => s.setting === choice.chosen)!.top1, best);
    const [d] = studied.datasets;
    assert.equal(d.trajectory.length, 3);
    // The same setting, fixed, ranks the fold the same way: the study's first ask is its zero-shot pick.
    const setting = choice.chosen === "acceptable" ? ["--head", "acceptable"] : ["--head", "ranking"];
    const fixed = run(["--trials", "1", ...setting, "--bag", "1", "--risk", "0"]);
    assert.equal(fixed.datasets[0].trajectory[0], d.trajectory[0]);
  });
});
